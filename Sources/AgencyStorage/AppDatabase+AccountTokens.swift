import AgencyDomain
import Foundation
import GRDB

/// A per-account API token as it may be shown: never its secret or its digest.
public struct AccountTokenInfo: Equatable, Sendable {
    public var id: Int64
    public var createdAt: String
    /// Kept to about a minute (`AppDatabase.lastUsedResolution`); nil when not used yet.
    public var lastUsedAt: String?

    public init(id: Int64, createdAt: String, lastUsedAt: String?) {
        self.id = id
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}

extension AppDatabase {
    /// The tokens of an account of the agency, oldest first. Another agency's account is not found.
    public func accountTokens(accountID: Int64, agencyID: Int64) async throws -> [AccountTokenInfo] {
        try quickRead { db in
            _ = try Self.account(id: accountID, agencyID: agencyID, db)
            return try Row.fetchAll(
                db, sql: "SELECT id, created_at, last_used_at FROM account_tokens WHERE account_id = ? ORDER BY id", arguments: [accountID]
            ).map { AccountTokenInfo(id: $0["id"], createdAt: $0["created_at"], lastUsedAt: $0["last_used_at"]) }
        }
    }

    /// Revokes one token of an account of the agency; the account's other tokens keep working. The
    /// token cache is emptied after the commit, so the token is refused from the next request on.
    public func revokeAccountToken(tokenID: Int64, accountID: Int64, agencyID: Int64) async throws {
        try await writer.write { db in
            _ = try Self.account(id: accountID, agencyID: agencyID, db)
            try db.execute(sql: "DELETE FROM account_tokens WHERE id = ? AND account_id = ?", arguments: [tokenID, accountID])
            if db.changesCount == 0 { throw DomainError.notFound(what: "Token \(tokenID)") }
        }
        tokens.invalidate()
    }
}
