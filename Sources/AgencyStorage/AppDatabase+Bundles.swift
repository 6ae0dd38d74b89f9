import AgencyDomain
import GRDB

/// What applying a bundle changed.
public struct BundleApplied: Equatable, Sendable {
    public var created: Int
    public var updated: Int
    public var deleted: Int
}

extension AppDatabase {
    /// Every asset of the account, as one bundle document.
    public func exportBundle(accountID: Int64) async throws -> JSONValue {
        try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: Self.assetSelect + " WHERE account_id = ? ORDER BY kind, id", arguments: [accountID])
            return AssetBundle.document(of: try rows.map(Self.asset(from:)))
        }
    }

    /// Makes the account's configuration equal to the bundle, in one transaction: items are created or
    /// updated at their ids, assets the bundle does not list are removed. Contact data follows
    /// (a removed tag leaves its contacts); a removed stage that still holds deals refuses the whole apply.
    public func applyBundle(accountID: Int64, _ bundle: AssetBundle) async throws -> BundleApplied {
        try await writer.write { db in
            struct Key: Hashable { var kind: String; var id: Int64 }
            let existing = Set(try Row.fetchAll(db, sql: "SELECT kind, id FROM assets WHERE account_id = ?", arguments: [accountID])
                .map { Key(kind: $0["kind"], id: $0["id"]) })
            let wanted = Set(bundle.items.map { Key(kind: $0.draft.kind.rawValue, id: $0.id) })
            // Unique values may move between assets (two tags swapping names): clear them first.
            try db.execute(sql: "UPDATE assets SET unique_key = NULL WHERE account_id = ?", arguments: [accountID])
            for key in existing.subtracting(wanted) {
                do {
                    try Self.deleteRemembered(accountID: accountID, kind: key.kind, id: key.id, db)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw DomainError.conflict(code: "asset_in_use", message: "\(key.kind) \(key.id) is not in the bundle but still holds deals; move them first.")
                }
            }
            for item in bundle.items {
                let isNew = !existing.contains(Key(kind: item.draft.kind.rawValue, id: item.id))
                try Self.store(item.draft, id: item.id, accountID: accountID, isNew: isNew, db)
                try db.execute(
                    sql: """
                        INSERT INTO id_sequences (account_id, kind, last_id) VALUES (?, ?, ?)
                        ON CONFLICT (account_id, kind) DO UPDATE SET last_id = max(last_id, excluded.last_id)
                        """,
                    arguments: [accountID, item.draft.kind.rawValue, item.id]
                )
            }
            let created = wanted.subtracting(existing).count
            return BundleApplied(created: created, updated: bundle.items.count - created, deleted: existing.subtracting(wanted).count)
        }
    }
}
