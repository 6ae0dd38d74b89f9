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

    /// The agency an API token belongs to, looked up by the token's digest. A token rotated out with
    /// a grace period opens the agency until `now` reaches its end.
    public func agencyID(forTokenDigest digest: [UInt8], now: Date = Date()) async throws -> Int64? {
        try tokens.owner(table: "agency_tokens", digest: digest, now: now) {
            try quickRead { db in
                guard let row = try Self.tokenRow(
                    of: digest, sql: "SELECT agency_id, digest, expires_at FROM agency_tokens WHERE digest = ? AND (expires_at IS NULL OR expires_at > ?)",
                    now: now, db
                ) else { return nil }
                let expires = (row["expires_at"] as String?).flatMap { try? Date($0, strategy: .iso8601) }
                return TokenCache.Loaded(owner: row["agency_id"], expires: expires)
            }
        }
    }

    /// The account a per-account API token opens, looked up by the token's digest. A cache miss also
    /// records when the token was last used, if that was more than a minute ago: at most about one
    /// write a minute per token, and none on a cache hit (the hot path of every `/api/3` request).
    public func accountID(forTokenDigest digest: [UInt8], now: Date = Date()) async throws -> Int64? {
        if let owner = tokens.cachedOwner(table: "account_tokens", digest: digest, now: now) { return owner }
        let began = tokens.currentGeneration()
        guard let row = try quickRead({ db in
            try Self.tokenRow(of: digest, sql: "SELECT account_id, digest, id, last_used_at FROM account_tokens WHERE digest = ?", now: nil, db)
        }) else { return nil }
        let accountID: Int64 = row["account_id"]
        tokens.store(table: "account_tokens", digest: digest, TokenCache.Loaded(owner: accountID, expires: nil), generation: began)
        let lastUsed = (row["last_used_at"] as String?).flatMap { try? Date($0, strategy: .iso8601) }
        if lastUsed.map({ now.timeIntervalSince($0) >= Self.lastUsedResolution }) ?? true {
            let tokenID: Int64 = row["id"]
            // Best effort: a busy writer must not fail the request that only wanted to read.
            try? await writer.write { db in
                try db.execute(sql: "UPDATE account_tokens SET last_used_at = ? WHERE id = ?", arguments: [Timestamp.string(from: now), tokenID])
            }
        }
        return accountID
    }

    /// "Last used" is kept to about this many seconds, so that it costs no write per request.
    static let lastUsedResolution: TimeInterval = 60

    /// The index finds the row; the stored digest (the row's second column) is then compared in
    /// constant time as well. `now`, when given, is bound as the query's second argument.
    static func tokenRow(of digest: [UInt8], sql: String, now: Date?, _ db: Database) throws -> Row? {
        let arguments: StatementArguments = now.map { [Data(digest), Timestamp.string(from: $0)] } ?? [Data(digest)]
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) else { return nil }
        let stored: Data = row[1]
        return Secrets.constantTimeEquals(Array(stored), digest) ? row : nil
    }
}
