import AgencyDomain
import Foundation
import GRDB

extension AppDatabase {
    /// The agency's branding; empty when it never set any.
    public func branding(agencyID: Int64) async throws -> AgencyBranding {
        try quickRead { db in try Self.branding(agencyID: agencyID, db) }
    }

    static func branding(agencyID: Int64, _ db: Database) throws -> AgencyBranding {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT display_name, accent, logo_digest, logo_type FROM agency_branding WHERE agency_id = ?"),
            arguments: [agencyID]
        ) else { return AgencyBranding() }
        return AgencyBranding(
            displayName: row["display_name"], accent: row["accent"], logoDigest: row["logo_digest"],
            logoFormat: (row["logo_type"] as String?).flatMap(LogoImage.Format.init(rawValue:))
        )
    }

    /// Sets the name and the accent colour. A nil leaves that part as it is; `clear` names the parts
    /// to remove.
    public func updateBranding(agencyID: Int64, displayName: String?, accent: String?, clear: Set<String> = []) async throws -> AgencyBranding {
        try await writer.write { db in
            try Self.ensureBrandingRow(agencyID: agencyID, db)
            if let displayName { try db.execute(sql: "UPDATE agency_branding SET display_name = ? WHERE agency_id = ?", arguments: [displayName, agencyID]) }
            if let accent { try db.execute(sql: "UPDATE agency_branding SET accent = ? WHERE agency_id = ?", arguments: [accent, agencyID]) }
            if clear.contains("display_name") { try db.execute(sql: "UPDATE agency_branding SET display_name = NULL WHERE agency_id = ?", arguments: [agencyID]) }
            if clear.contains("accent") { try db.execute(sql: "UPDATE agency_branding SET accent = NULL WHERE agency_id = ?", arguments: [agencyID]) }
            if clear.contains("logo") {
                try db.execute(sql: "UPDATE agency_branding SET logo = NULL, logo_type = NULL, logo_digest = NULL WHERE agency_id = ?", arguments: [agencyID])
            }
            return try Self.branding(agencyID: agencyID, db)
        }
    }

    /// Replaces the agency's logo with checked bytes.
    public func setLogo(agencyID: Int64, logo: LogoImage) async throws -> AgencyBranding {
        try await writer.write { db in
            try Self.ensureBrandingRow(agencyID: agencyID, db)
            try db.execute(
                sql: "UPDATE agency_branding SET logo = ?, logo_type = ?, logo_digest = ? WHERE agency_id = ?",
                arguments: [Data(logo.bytes), logo.format.rawValue, logo.digest, agencyID]
            )
            return try Self.branding(agencyID: agencyID, db)
        }
    }

    static func ensureBrandingRow(agencyID: Int64, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO agency_branding (agency_id, updated_at) VALUES (?, ?)
                ON CONFLICT (agency_id) DO UPDATE SET updated_at = excluded.updated_at
                """,
            arguments: [agencyID, Timestamp.now()]
        )
    }

    /// A logo's bytes by the digest in its URL: logos are public (they are shown on sign-in pages).
    public func logo(digest: String) async throws -> (bytes: Data, format: LogoImage.Format)? {
        try quickRead { db in
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT logo, logo_type FROM agency_branding WHERE logo_digest = ? LIMIT 1"), arguments: [digest]
            ), let format = LogoImage.Format(rawValue: row["logo_type"]) else { return nil }
            return (row["logo"], format)
        }
    }
}
