import AgencyDomain
import Foundation
import GRDB

extension AppDatabase {
    /// The longest grace period a rotated-out agency token may keep working: 30 days.
    public static let maximumTokenGrace: TimeInterval = 30 * 86_400

    /// Gives the agency a new API token (stored as `newDigest`) and ends its other tokens: at once,
    /// or with `grace` > 0 at `now + grace`, until when both work (a token that would end sooner keeps
    /// its earlier end). The agency's dashboard sessions end too. One transaction; the token cache is
    /// emptied after it commits. Returns when the old tokens end (nil: they already have).
    @discardableResult
    public func rotateAgencyToken(agencyID: Int64, newDigest: [UInt8], grace: TimeInterval = 0, now: Date = Date()) async throws -> String? {
        let end = grace > 0 ? Timestamp.string(from: now.addingTimeInterval(grace)) : nil
        try await writer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM agencies WHERE id = ?)", arguments: [agencyID]) == true else {
                throw DomainError.notFound(what: "Agency \(agencyID)")
            }
            try db.execute(
                sql: "DELETE FROM agency_tokens WHERE agency_id = ? AND expires_at <= ?", arguments: [agencyID, Timestamp.string(from: now)]
            )
            if let end {
                try db.execute(
                    sql: "UPDATE agency_tokens SET expires_at = ? WHERE agency_id = ? AND (expires_at IS NULL OR expires_at > ?)",
                    arguments: [end, agencyID, end]
                )
            } else {
                try db.execute(sql: "DELETE FROM agency_tokens WHERE agency_id = ?", arguments: [agencyID])
            }
            try db.execute(
                sql: "INSERT INTO agency_tokens (agency_id, digest, created_at) VALUES (?, ?, ?)",
                arguments: [agencyID, Data(newDigest), Timestamp.string(from: now)]
            )
            try db.execute(sql: "DELETE FROM dashboard_sessions WHERE agency_id = ? AND kind = 'agency'", arguments: [agencyID])
        }
        tokens.invalidate()
        return end
    }
}
