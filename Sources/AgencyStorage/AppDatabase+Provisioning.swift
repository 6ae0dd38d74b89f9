import AgencyDomain
import Foundation
import GRDB

/// A client account to make, empty or from a snapshot.
public struct ProvisionRequest: Sendable {
    public var agencyID: Int64
    public var snapshotID: Int64?
    public var name: String
    public var kind: AccountKind
    public var options: ProvisioningOptions
    public var passwordHash: String
    public var makeUsername: @Sendable () -> String
    /// The caller's Idempotency-Key, the digest of its request, and the password sealed for a retry.
    public var idempotency: Idempotency?
    /// One of the agency's verified domains, for the account's `login_url`; nil for the service's own.
    public var domainID: Int64?

    public struct Idempotency: Sendable {
        public var key: String
        public var requestDigest: [UInt8]
        public var sealedPassword: Data

        public init(key: String, requestDigest: [UInt8], sealedPassword: Data) {
            self.key = key
            self.requestDigest = requestDigest
            self.sealedPassword = sealedPassword
        }
    }

    public init(
        agencyID: Int64, snapshotID: Int64?, name: String, kind: AccountKind, options: ProvisioningOptions,
        passwordHash: String, makeUsername: @escaping @Sendable () -> String, idempotency: Idempotency?
    ) {
        self.agencyID = agencyID
        self.snapshotID = snapshotID
        self.name = name
        self.kind = kind
        self.options = options
        self.passwordHash = passwordHash
        self.makeUsername = makeUsername
        self.idempotency = idempotency
    }
}

/// An account made by an earlier request with the same Idempotency-Key: as it is now, with its
/// login name and the password sealed by that first request.
public struct ProvisionReplay: Sendable {
    public var account: Account
    public var username: String
    public var sealedPassword: Data
}

/// A provisioned account, or the one an earlier request with the same key made.
public enum ProvisionOutcome: Sendable {
    case created(Account, username: String)
    case replayed(ProvisionReplay)
}

extension AppDatabase {
    /// How long a retry with the same Idempotency-Key gets the first account back.
    public static let idempotencyWindow: TimeInterval = 24 * 3600

    /// The account an earlier request with this key made, if any; checked before any password is
    /// hashed, so that a retry costs a read. The same key with another request is refused.
    public func earlierProvision(agencyID: Int64, key: String, requestDigest: [UInt8]) async throws -> ProvisionReplay? {
        try quickRead { db in try Self.earlierProvision(agencyID: agencyID, key: key, requestDigest: requestDigest, db) }
    }

    /// Makes a client account in one transaction: the account and its first user and, from a
    /// snapshot, every asset (copied as a set, ids unchanged, sharing the snapshot's bodies and
    /// references), its contacts and deals if the snapshot has them, and its provenance; with an
    /// idempotency key, the key and the sealed password. Any failure leaves nothing behind. A
    /// request whose key was committed meanwhile by a concurrent one gets that account instead.
    public func provision(_ request: ProvisionRequest) async throws -> ProvisionOutcome {
        try await writer.write { db in
            if let idempotency = request.idempotency {
                try Self.forgetExpiredKeys(agencyID: request.agencyID, db)
                if let replay = try Self.earlierProvision(agencyID: request.agencyID, key: idempotency.key, requestDigest: idempotency.requestDigest, db) {
                    return .replayed(replay)
                }
            }
            let accountID = try Self.insertAccount(agencyID: request.agencyID, name: request.name, kind: request.kind, db)
            let username = try Self.insertUser(accountID: accountID, passwordHash: request.passwordHash, makeUsername: request.makeUsername, db)
            if let domainID = request.domainID { try Self.setAccountDomain(accountID: accountID, agencyID: request.agencyID, domainID: domainID, db) }
            if let snapshotID = request.snapshotID {
                try Self.copy(snapshotID: snapshotID, into: accountID, agencyID: request.agencyID, options: request.options, db)
            }
            if let idempotency = request.idempotency {
                try db.execute(
                    sql: "INSERT INTO idempotency_keys (agency_id, key, request_digest, account_id, sealed_reply, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [request.agencyID, idempotency.key, Data(idempotency.requestDigest), accountID, idempotency.sealedPassword, Timestamp.now()]
                )
            }
            return .created(try Self.account(id: accountID, agencyID: request.agencyID, db), username: username)
        }
    }

    /// Copies the snapshot's contents into the new account and records where they came from.
    static func copy(snapshotID: Int64, into accountID: Int64, agencyID: Int64, options: ProvisioningOptions, _ db: Database) throws {
        guard let snapshot = try Row.fetchOne(
            db, sql: "SELECT lineage_id, name, digest FROM snapshots WHERE id = ? AND agency_id = ?", arguments: [snapshotID, agencyID]
        ) else { throw DomainError.notFound(what: "Snapshot \(snapshotID)") }
        let source = AccountSource(snapshotID: snapshotID, snapshotName: snapshot["name"], digest: snapshot["digest"], options: options)
        let now = Timestamp.now()
        try db.execute(
            sql: """
                INSERT INTO account_sources (account_id, snapshot_id, snapshot_name, digest, activate_automations, activate_campaigns, created_at, lineage_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                accountID, source.snapshotID, source.snapshotName, source.digest, source.options.activateAutomations,
                source.options.activateCampaigns, now, snapshot["lineage_id"],
            ]
        )
        var arguments = Self.provisionedArguments(lineageID: snapshot["lineage_id"], snapshotID: snapshotID, options: options)
        arguments += ["account": accountID, "now": now]
        try db.execute(
            // Bodies and their references are shared with the snapshot's blobs, not copied (migrations
            // 0005 and 0013), and each blob is also the asset's base for later updates (0006).
            sql: "INSERT INTO assets (account_id, kind, id, name, unique_key, body, shared_blob, base_blob, shared_inert, created_at, updated_at) "
                + Self.provisionedAssets(columns: ":account, v.kind, v.id, b.name, b.unique_key, 'null', b.id, b.id, \(Self.provisionedInert), :now, :now"),
            arguments: arguments
        )
        try db.execute(
            sql: "INSERT INTO id_sequences (account_id, kind, last_id) SELECT account_id, kind, max(id) FROM assets WHERE account_id = ? GROUP BY kind",
            arguments: [accountID]
        )
        try SnapshotRecords.provision(snapshotID: snapshotID, accountID: accountID, now: now, db)
        try Self.provisionConnections(snapshotID: snapshotID, accountID: accountID, now: now, db)
    }

    static func forgetExpiredKeys(agencyID: Int64, _ db: Database) throws {
        let cutoff = Timestamp.string(from: Date().addingTimeInterval(-idempotencyWindow))
        try db.execute(sql: "DELETE FROM idempotency_keys WHERE agency_id = ? AND created_at < ?", arguments: [agencyID, cutoff])
    }

    /// The account made with this key, nil when the key is new or expired. The same key with another
    /// request is refused: the caller is reusing a key by mistake.
    static func earlierProvision(agencyID: Int64, key: String, requestDigest: [UInt8], _ db: Database) throws -> ProvisionReplay? {
        let cutoff = Timestamp.string(from: Date().addingTimeInterval(-idempotencyWindow))
        guard let row = try Row.fetchOne(
            db,
            sql: """
                SELECT k.request_digest, k.sealed_reply, k.account_id, u.username
                FROM idempotency_keys k LEFT JOIN account_users u ON u.account_id = k.account_id
                WHERE k.agency_id = ? AND k.key = ? AND k.created_at >= ?
                """,
            arguments: [agencyID, key, cutoff]
        ) else { return nil }
        guard Secrets.constantTimeEquals([UInt8](row["request_digest"] as Data), requestDigest) else {
            throw DomainError.unprocessable(
                code: "idempotency_key_reused",
                message: "This Idempotency-Key was already used with a different request body; use a new key for a new request."
            )
        }
        let accountID: Int64 = row["account_id"]
        guard let username: String = row["username"] else {
            throw DomainError.conflict(
                code: "idempotency_key_used",
                message: "This Idempotency-Key made account \(accountID), which has since been deleted; use a new key to make another account."
            )
        }
        return ProvisionReplay(account: try account(id: accountID, agencyID: agencyID, db), username: username, sealedPassword: row["sealed_reply"])
    }

    /// The asset rows an account provisioned from the snapshot holds, as `SELECT columns FROM …`
    /// over the visible versions `v` joined with their blobs `b`.
    static func provisionedAssets(columns: String) -> String {
        visibleVersions + " SELECT \(columns) FROM visible v JOIN snapshot_blobs b ON b.id = v.blob_id"
    }

    /// Whether the account gets the blob's inert form: the options do not keep the kind active, and
    /// the blob has an inert form that differs from its body.
    static let provisionedInert = """
        ((v.kind = 'automation' AND NOT :activateAutomations OR v.kind = 'campaign' AND NOT :activateCampaigns)
         AND b.inert_body IS NOT NULL)
        """

    /// The body as provisioned: the inert form unless the options keep the kind active.
    static let provisionedBody = "CASE WHEN \(provisionedInert) THEN b.inert_body ELSE b.body END"

    static func provisionedArguments(lineageID: Int64, snapshotID: Int64, options: ProvisioningOptions) -> StatementArguments {
        ["lineage": lineageID, "snapshot": snapshotID, "activateAutomations": options.activateAutomations, "activateCampaigns": options.activateCampaigns]
    }
}
