import AgencyDomain
import Foundation
import GRDB

extension AppDatabase {
    /// Creates an account with its first user. `makeUsername` is asked again on the rare clash.
    public func createAccount(
        agencyID: Int64, name: String, kind: AccountKind,
        passwordHash: String, makeUsername: @escaping @Sendable () -> String
    ) async throws -> (account: Account, username: String) {
        try await writer.write { db in
            let accountID = try Self.insertAccount(agencyID: agencyID, name: name, kind: kind, db)
            let username = try Self.insertUser(accountID: accountID, passwordHash: passwordHash, makeUsername: makeUsername, db)
            return (try Self.account(id: accountID, agencyID: agencyID, db), username)
        }
    }

    static func insertAccount(agencyID: Int64, name: String, kind: AccountKind, _ db: Database) throws -> Int64 {
        let limits = AccountLimits.forKind(kind)
        try db.execute(
            sql: """
                INSERT INTO accounts (agency_id, name, kind, contact_limit, send_limit, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [agencyID, name, kind.rawValue, limits.contacts, limits.sends, Timestamp.now()]
        )
        return db.lastInsertedRowID
    }

    static func insertUser(accountID: Int64, passwordHash: String, makeUsername: @escaping @Sendable () -> String, _ db: Database) throws -> String {
        for _ in 1...5 {
            let username = makeUsername()
            do {
                try db.execute(
                    sql: "INSERT INTO account_users (account_id, username, password_hash, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [accountID, username, passwordHash, Timestamp.now()]
                )
                return username
            } catch let error as DatabaseError where error.isUniqueViolation {
                continue  // another account holds this name; draw another suffix
            }
        }
        throw DomainError.conflict(code: "username_unavailable", message: "Could not find a free username; try again.")
    }

    /// The agency's accounts, newest first, optionally of one kind.
    public func accounts(agencyID: Int64, kind: AccountKind?, page: Page) async throws -> (accounts: [Account], total: Int) {
        try quickRead { db in
            let filter = kind == nil ? "" : " AND a.kind = :kind"
            let arguments: StatementArguments = ["agency": agencyID, "kind": kind?.rawValue, "limit": page.limit, "offset": page.offset]
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM accounts a WHERE a.agency_id = :agency" + filter, arguments: arguments)!
            let rows = try Row.fetchAll(
                db,
                sql: Self.accountSelect + " WHERE a.agency_id = :agency" + filter + " ORDER BY a.id DESC LIMIT :limit OFFSET :offset",
                arguments: arguments
            )
            return (rows.map(Self.account(from:)), total)
        }
    }

    /// One account of the agency; another agency's account is not found, exactly like a missing one.
    public func account(id: Int64, agencyID: Int64) async throws -> Account {
        try quickRead { db in try Self.account(id: id, agencyID: agencyID, db) }
    }

    /// Renames an account or changes its kind. Conversions to or from a sandbox are refused.
    public func updateAccount(id: Int64, agencyID: Int64, name: String?, kind: AccountKind?) async throws -> Account {
        try await writer.write { db in
            let current = try Self.account(id: id, agencyID: agencyID, db)
            if let kind, !current.kind.canChange(to: kind) {
                throw DomainError.kindConversion(from: current.kind, to: kind)
            }
            try db.execute(
                sql: "UPDATE accounts SET name = ?, kind = ? WHERE id = ?",
                arguments: [name ?? current.name, (kind ?? current.kind).rawValue, id]
            )
            return try Self.account(id: id, agencyID: agencyID, db)
        }
    }

    /// Deletes an account and everything in it.
    public func deleteAccount(id: Int64, agencyID: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM accounts WHERE id = ? AND agency_id = ?", arguments: [id, agencyID])
            if db.changesCount == 0 { throw DomainError.notFound(what: "Account \(id)") }
            // Bodies it shared with deleted snapshots go now that nothing holds them: only blobs whose
            // share count just fell to zero can have become unused, so only they are looked at.
            try Self.deleteUnsharedBlobs(db)
        }
        // Its tokens went with it; the cache forgets them only now that the deletion has committed,
        // so that no request re-caches them from the old rows in between.
        tokens.invalidate()
    }

    /// Adds a per-account API token for an account of the agency; returns the token's id.
    @discardableResult
    public func addAccountToken(accountID: Int64, agencyID: Int64, digest: [UInt8]) async throws -> Int64 {
        try await writer.write { db in
            _ = try Self.account(id: accountID, agencyID: agencyID, db)
            try Self.insertAccountToken(accountID: accountID, digest: digest, db)
            return db.lastInsertedRowID
        }
    }

    /// Adds a per-account API token after a successful login.
    public func addAccountToken(accountID: Int64, digest: [UInt8]) async throws {
        try await writer.write { db in try Self.insertAccountToken(accountID: accountID, digest: digest, db) }
    }

    static func insertAccountToken(accountID: Int64, digest: [UInt8], _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO account_tokens (account_id, digest, created_at) VALUES (?, ?, ?)",
            arguments: [accountID, Data(digest), Timestamp.now()]
        )
    }

    /// The account and password hash of a login name, if it exists.
    public func user(named username: String) async throws -> (accountID: Int64, passwordHash: String)? {
        try quickRead { db in
            try Row.fetchOne(db, sql: "SELECT account_id, password_hash FROM account_users WHERE username = ?", arguments: [username])
                .map { ($0[0], $0[1]) }
        }
    }

    /// Stores a new hash of a user's password (made at the current bcrypt cost after a good login).
    public func replacePasswordHash(username: String, with passwordHash: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE account_users SET password_hash = ? WHERE username = ?", arguments: [passwordHash, username])
        }
    }

    static let accountSelect = """
        SELECT a.id, a.agency_id, a.name, a.kind, a.contact_limit, a.send_limit, a.created_at,
               (SELECT count(*) FROM contacts c WHERE c.account_id = a.id) AS contacts,
               (SELECT count(*) FROM outbox o WHERE o.account_id = a.id) AS sends,
               s.snapshot_id, s.snapshot_name, s.digest, s.activate_automations, s.activate_campaigns,
               EXISTS (SELECT 1 FROM snapshots n WHERE n.id = s.snapshot_id) AS snapshot_exists
        FROM accounts a LEFT JOIN account_sources s ON s.account_id = a.id
        """

    static func account(id: Int64, agencyID: Int64, _ db: Database) throws -> Account {
        guard let row = try Row.fetchOne(db, sql: accountSelect + " WHERE a.id = ? AND a.agency_id = ?", arguments: [id, agencyID]) else {
            throw DomainError.notFound(what: "Account \(id)")
        }
        return account(from: row)
    }

    static func account(from row: Row) -> Account {
        Account(
            id: row["id"], agencyID: row["agency_id"], name: row["name"],
            kind: AccountKind(rawValue: row["kind"]) ?? .trial,
            limits: AccountLimits(contacts: row["contact_limit"], sends: row["send_limit"]),
            usage: AccountUsage(contacts: row["contacts"], sends: row["sends"]),
            createdAt: row["created_at"],
            source: (row["snapshot_id"] as Int64?).map { snapshotID in
                AccountSource(
                    snapshotID: snapshotID, snapshotName: row["snapshot_name"], digest: row["digest"],
                    options: ProvisioningOptions(activateAutomations: row["activate_automations"], activateCampaigns: row["activate_campaigns"]),
                    snapshotExists: row["snapshot_exists"]
                )
            }
        )
    }
}

/// The person who logs in to an account (one per account), as v3's `users/me` shows them.
public struct AccountUser: Equatable, Sendable {
    public var id: Int64
    public var username: String
    public var createdAt: String
}

extension AppDatabase {
    public func accountUser(accountID: Int64) async throws -> AccountUser {
        try quickRead { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT id, username, created_at FROM account_users WHERE account_id = ? ORDER BY id LIMIT 1", arguments: [accountID]
            ) else { throw DomainError.notFound(what: "The account's user") }
            return AccountUser(id: row[0], username: row[1], createdAt: row[2])
        }
    }
}
