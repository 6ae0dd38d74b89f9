import Foundation
import AgencyDomain
import GRDB

extension AppDatabase {
    /// Creates an agency together with its first API token (stored as a digest only).
    @discardableResult
    public func createAgency(name: String, tokenDigest: [UInt8]) async throws -> Int64 {
        try await writer.write { db in
            let now = Timestamp.now()
            try db.execute(sql: "INSERT INTO agencies (name, created_at) VALUES (?, ?)", arguments: [name, now])
            let agencyID = db.lastInsertedRowID
            try db.execute(
                sql: "INSERT INTO agency_tokens (agency_id, digest, created_at) VALUES (?, ?, ?)",
                arguments: [agencyID, Data(tokenDigest), now]
            )
            return agencyID
        }
    }

    /// The agency an API token belongs to, looked up by the token's digest.
    public func agencyID(forTokenDigest digest: [UInt8]) async throws -> Int64? {
        try tokens.owner(table: "agency_tokens", digest: digest) {
            try quickRead { db in try Self.owner(of: digest, sql: "SELECT agency_id, digest FROM agency_tokens WHERE digest = ?", db) }
        }
    }

    /// The account a per-account API token opens, looked up by the token's digest.
    public func accountID(forTokenDigest digest: [UInt8]) async throws -> Int64? {
        try tokens.owner(table: "account_tokens", digest: digest) {
            try quickRead { db in try Self.owner(of: digest, sql: "SELECT account_id, digest FROM account_tokens WHERE digest = ?", db) }
        }
    }

    /// The index finds the row; the stored digest is then compared in constant time as well.
    static func owner(of digest: [UInt8], sql: String, _ db: Database) throws -> Int64? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [Data(digest)]) else { return nil }
        let stored: Data = row[1]
        return Secrets.constantTimeEquals(Array(stored), digest) ? row[0] : nil
    }
}
