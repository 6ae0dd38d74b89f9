import AgencyDomain
import Foundation
import GRDB

extension AppDatabase {
    /// Claims a host for the agency, unverified, with a fresh token. A host another agency (or this
    /// one) holds already is a 409, found by the schema's UNIQUE constraint.
    public func addDomain(agencyID: Int64, host: String, token: String) async throws -> CustomDomain {
        try await writer.write { db in
            do {
                try db.execute(
                    sql: "INSERT INTO agency_domains (agency_id, host, token, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [agencyID, host, token, Timestamp.now()]
                )
            } catch let error as DatabaseError where error.isUniqueViolation {
                throw DomainError.conflict(code: "domain_taken", message: "The domain \(host) is already claimed on this service.")
            }
            return try Self.domain(id: db.lastInsertedRowID, agencyID: agencyID, db)
        }
    }

    public func domains(agencyID: Int64) async throws -> [CustomDomain] {
        try quickRead { db in
            try Row.fetchAll(db, sql: Self.domainSelect + " WHERE agency_id = ? ORDER BY host", arguments: [agencyID]).map(Self.domain(from:))
        }
    }

    public func domain(id: Int64, agencyID: Int64) async throws -> CustomDomain {
        try quickRead { db in try Self.domain(id: id, agencyID: agencyID, db) }
    }

    /// Marks the domain verified (the caller read the TXT record); it is active from now on.
    public func markDomainVerified(id: Int64, agencyID: Int64) async throws -> CustomDomain {
        try await writer.write { db in
            _ = try Self.domain(id: id, agencyID: agencyID, db)
            try db.execute(
                sql: "UPDATE agency_domains SET verified_at = COALESCE(verified_at, ?) WHERE id = ? AND agency_id = ?",
                arguments: [Timestamp.now(), id, agencyID]
            )
            return try Self.domain(id: id, agencyID: agencyID, db)
        }
    }

    /// Removes the domain; accounts that named it go back to the service's own login URL.
    public func removeDomain(id: Int64, agencyID: Int64) async throws {
        try await writer.write { db in
            _ = try Self.domain(id: id, agencyID: agencyID, db)
            try db.execute(sql: "DELETE FROM agency_domains WHERE id = ? AND agency_id = ?", arguments: [id, agencyID])
        }
    }

    /// The active (verified) domain of this host name, of whichever agency; nil for any other host.
    public func activeDomain(host: String) async throws -> CustomDomain? {
        try quickRead { db in
            try Row.fetchOne(db.cachedStatement(sql: Self.domainSelect + " WHERE host = ? AND verified_at IS NOT NULL"), arguments: [host])
                .map(Self.domain(from:))
        }
    }

    /// The agency's active domain of this host name, for an account to be given at creation.
    public func activeDomain(host: String, agencyID: Int64) async throws -> CustomDomain {
        guard let domain = try await activeDomain(host: host), domain.agencyID == agencyID else {
            throw DomainError.invalid(field: "domain", message: "\(host) is not one of this agency's verified domains.")
        }
        return domain
    }

    /// Points the account's credentials at one of its agency's domains.
    static func setAccountDomain(accountID: Int64, agencyID: Int64, domainID: Int64, _ db: Database) throws {
        guard try Bool.fetchOne(
            db, sql: "SELECT 1 FROM agency_domains WHERE id = ? AND agency_id = ? AND verified_at IS NOT NULL", arguments: [domainID, agencyID]
        ) == true else { throw DomainError.invalid(field: "domain", message: "The domain is not one of this agency's verified domains.") }
        try db.execute(sql: "UPDATE accounts SET domain_id = ? WHERE id = ? AND agency_id = ?", arguments: [domainID, accountID, agencyID])
    }

    /// The active domain an account's credentials name, if it has one.
    public func loginHost(accountID: Int64) async throws -> String? {
        try quickRead { db in
            try String.fetchOne(
                db, sql: "SELECT d.host FROM accounts a JOIN agency_domains d ON d.id = a.domain_id WHERE a.id = ? AND d.verified_at IS NOT NULL",
                arguments: [accountID]
            )
        }
    }

    /// The agency an account belongs to, for the sign-in check on a custom domain.
    public func agencyID(ofAccount accountID: Int64) async throws -> Int64? {
        try quickRead { db in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT agency_id FROM accounts WHERE id = ?"), arguments: [accountID])
        }
    }

    static let domainSelect = "SELECT id, agency_id, host, token, verified_at, created_at FROM agency_domains"

    static func domain(id: Int64, agencyID: Int64, _ db: Database) throws -> CustomDomain {
        guard let row = try Row.fetchOne(db, sql: domainSelect + " WHERE id = ? AND agency_id = ?", arguments: [id, agencyID]) else {
            throw DomainError.notFound(what: "Domain \(id)")
        }
        return domain(from: row)
    }

    static func domain(from row: Row) -> CustomDomain {
        CustomDomain(id: row["id"], agencyID: row["agency_id"], host: row["host"], token: row["token"], verifiedAt: row["verified_at"], createdAt: row["created_at"])
    }
}
