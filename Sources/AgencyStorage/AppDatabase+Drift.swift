import AgencyDomain
import GRDB

extension AppDatabase {
    /// What the client changed since the account's base: only assets with a body of their own can
    /// differ from it (a shared one is its base by construction), so only those are read.
    public func drift(accountID: Int64, agencyID: Int64) async throws -> AccountDrift {
        try await writer.read { db in
            let account = try Self.account(id: accountID, agencyID: agencyID, db)
            return try Self.drift(accountID: accountID, baseSnapshotID: account.source?.snapshotID, db)
        }
    }

    static func drift(accountID: Int64, baseSnapshotID: Int64?, _ db: Database) throws -> AccountDrift {
        var drift = AccountDrift(accountID: accountID, baseSnapshotID: baseSnapshotID)
        var identities = try AccountIdentities(accountID: accountID, db)
        var blobs = BaseBlob.Cache()
        let owned = try Row.fetchAll(
            db,
            sql: "SELECT kind, id, name, body, base_blob, shared_inert FROM assets WHERE account_id = ? AND shared_blob IS NULL ORDER BY kind, id",
            arguments: [accountID]
        )
        for row in owned {
            let kind = AssetKind(rawValue: row["kind"])!
            guard let baseBlob: Int64 = row["base_blob"] else {
                drift.added.append(UpdateItem(kind: kind, id: row["id"], name: row["name"]))
                continue
            }
            let base = try identities.mapped(blobs.blob(baseBlob, db).object(inert: row["shared_inert"]), kind: kind, db).body
            let changes = FieldChange.between(.object(base), try JSONValue.parse(row["body"]))
            if !changes.isEmpty { drift.edited.append(EditedAsset(kind: kind, id: row["id"], name: row["name"], changes: changes)) }
        }
        let tombstones = try Row.fetchAll(
            db,
            sql: "SELECT t.kind, t.origin_id, b.name FROM asset_tombstones t JOIN snapshot_blobs b ON b.id = t.base_blob WHERE t.account_id = ? ORDER BY t.kind, t.origin_id",
            arguments: [accountID]
        )
        drift.deleted = tombstones.map { UpdateItem(kind: AssetKind(rawValue: $0["kind"])!, id: $0["origin_id"], name: $0["name"]) }
        return drift
    }

    /// How snapshot `toID` differs from snapshot `fromID`, both of the agency: assets matched by kind
    /// and sandbox id; a body that is the same blob is unchanged without being read.
    public func snapshotDiff(from fromID: Int64, to toID: Int64, agencyID: Int64) async throws -> SnapshotDiff {
        try await writer.read { db in
            func manifest(_ snapshotID: Int64) throws -> [AssetKey: Int64] {
                guard let lineageID = try Int64.fetchOne(db, sql: "SELECT lineage_id FROM snapshots WHERE id = ? AND agency_id = ?", arguments: [snapshotID, agencyID]) else {
                    throw DomainError.notFound(what: "Snapshot \(snapshotID)")
                }
                var result: [AssetKey: Int64] = [:]
                let rows = try Row.fetchCursor(db, sql: Self.visibleVersions + " SELECT kind, id, blob_id FROM visible", arguments: ["lineage": lineageID, "snapshot": snapshotID])
                while let row = try rows.next() { result[AssetKey(kind: row["kind"], id: row["id"])] = row["blob_id"] }
                return result
            }
            let (old, new) = (try manifest(fromID), try manifest(toID))
            var blobs = BaseBlob.Cache()
            var entries: [SnapshotDiff.Entry] = []
            var counts: [String: SnapshotDiff.Counts] = [:]
            for key in Set(old.keys).union(new.keys).sorted(by: { ($0.kind, $0.id) < ($1.kind, $1.id) }) {
                let kind = AssetKind(rawValue: key.kind)!
                switch (old[key], new[key]) {
                case let (before?, after?) where before == after:
                    counts[kind.spec.path, default: .init()].unchanged += 1
                case let (before?, after?):
                    let (was, now) = (try blobs.blob(before, db), try blobs.blob(after, db))
                    let changes = FieldChange.between(try JSONValue.parse(was.body), try JSONValue.parse(now.body))
                    entries.append(.init(kind: kind, id: key.id, name: now.name, status: .changed, changes: changes))
                    counts[kind.spec.path, default: .init()].changed += 1
                case let (nil, after?):
                    entries.append(.init(kind: kind, id: key.id, name: try blobs.blob(after, db).name, status: .added))
                    counts[kind.spec.path, default: .init()].added += 1
                case let (before?, nil):
                    entries.append(.init(kind: kind, id: key.id, name: try blobs.blob(before, db).name, status: .removed))
                    counts[kind.spec.path, default: .init()].removed += 1
                case (nil, nil):
                    break
                }
            }
            return SnapshotDiff(fromSnapshotID: fromID, toSnapshotID: toID, entries: entries, counts: counts)
        }
    }
}
