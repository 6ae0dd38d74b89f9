import AgencyDomain
import Foundation
import GRDB

/// A signed-in browser: an agency's account manager, or a client in its own account.
public struct DashboardSession: Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// Signed in with the agency token: sees the agency's dashboard.
        case agency
        /// Signed in at the login URL with an account's username and password: sees that account only.
        case client
    }

    public var kind: Kind
    public var agencyID: Int64
    /// The account of a client session; nil for an agency session.
    public var accountID: Int64?
    public var expiresAt: String

    public init(kind: Kind, agencyID: Int64, accountID: Int64?, expiresAt: String) {
        self.kind = kind
        self.agencyID = agencyID
        self.accountID = accountID
        self.expiresAt = expiresAt
    }
}

extension AppDatabase {
    /// How long a dashboard session lasts from sign-in.
    public static let dashboardSessionLifetime: TimeInterval = 8 * 3600
    /// How long a session may go unused before it ends, unless `agency serve --session-idle-timeout` says otherwise.
    public static let dashboardSessionIdleTimeout: TimeInterval = 30 * 60
    /// A session's last use is moved forward at most this often (seconds).
    static let sessionSeenResolution: TimeInterval = 60

    /// Starts an agency session under the digest of its id. Expired sessions are cleared on the way.
    public func startAgencySession(agencyID: Int64, digest: [UInt8], now: Date = Date()) async throws {
        try await writer.write { db in
            try Self.forgetExpiredSessions(now: now, db)
            try Self.insertSession(kind: .agency, agencyID: agencyID, accountID: nil, digest: digest, now: now, db)
        }
    }

    /// Starts a client session in an account; its agency is read from the account, so a client
    /// session can only ever name the account's own agency.
    public func startClientSession(accountID: Int64, digest: [UInt8], now: Date = Date()) async throws {
        try await writer.write { db in
            try Self.forgetExpiredSessions(now: now, db)
            guard let agencyID = try Int64.fetchOne(db, sql: "SELECT agency_id FROM accounts WHERE id = ?", arguments: [accountID]) else {
                throw DomainError.notFound(what: "Account \(accountID)")
            }
            try Self.insertSession(kind: .client, agencyID: agencyID, accountID: accountID, digest: digest, now: now, db)
        }
    }

    /// The live session stored under this digest; nil when there is none, it has expired (8 hours
    /// from sign-in), or it has been idle for `idleTimeout`. A session in use is marked seen again at
    /// most once a minute (`sessionSeenResolution`), so page views do not each write.
    public func dashboardSession(
        digest: [UInt8], now: Date = Date(), idleTimeout: TimeInterval = dashboardSessionIdleTimeout
    ) async throws -> DashboardSession? {
        let found: (session: DashboardSession, id: Int64, lastSeen: Date?)? = try quickRead { db in
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: """
                    SELECT id, digest, kind, agency_id, account_id, expires_at, last_seen_at FROM dashboard_sessions
                    WHERE digest = ? AND expires_at > ? AND last_seen_at > ?
                    """),
                arguments: [Data(digest), Timestamp.string(from: now), Timestamp.string(from: now.addingTimeInterval(-idleTimeout))]
            ), Secrets.constantTimeEquals(Array(row["digest"] as Data), digest), let kind = DashboardSession.Kind(rawValue: row["kind"])
            else { return nil }
            return (
                DashboardSession(kind: kind, agencyID: row["agency_id"], accountID: row["account_id"], expiresAt: row["expires_at"]),
                row["id"], (row["last_seen_at"] as String?).flatMap { try? Date($0, strategy: .iso8601) }
            )
        }
        guard let found else { return nil }
        if found.lastSeen.map({ now.timeIntervalSince($0) >= Self.sessionSeenResolution }) ?? true {
            try await writer.write { db in
                try db.execute(
                    sql: "UPDATE dashboard_sessions SET last_seen_at = ? WHERE id = ?", arguments: [Timestamp.string(from: now), found.id]
                )
            }
        }
        return found.session
    }

    /// Ends a session (sign-out). Ending one that does not exist is not an error.
    public func endDashboardSession(digest: [UInt8]) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM dashboard_sessions WHERE digest = ?", arguments: [Data(digest)])
        }
    }

    static func insertSession(kind: DashboardSession.Kind, agencyID: Int64, accountID: Int64?, digest: [UInt8], now: Date, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO dashboard_sessions (digest, kind, agency_id, account_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                Data(digest), kind.rawValue, agencyID, accountID, Timestamp.string(from: now), Timestamp.string(from: now),
                Timestamp.string(from: now.addingTimeInterval(dashboardSessionLifetime)),
            ]
        )
    }

    static func forgetExpiredSessions(now: Date, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM dashboard_sessions WHERE expires_at <= ?", arguments: [Timestamp.string(from: now)])
    }
}
