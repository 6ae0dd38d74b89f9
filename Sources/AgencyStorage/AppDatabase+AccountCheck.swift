import AgencyDomain
import GRDB

/// What `verify` found about an account: references that point nowhere, and how it differs from
/// the snapshot it was made from (while that snapshot exists).
public struct AccountCheck: Equatable, Sendable {
    public var accountID: Int64
    public var source: AccountSource?
    public var snapshotExists: Bool
    public var assetsChecked: Int
    public var referencesChecked: Int
    public var dangling: [String]
    public var differences: [String]

    public var referencesIntact: Bool { dangling.isEmpty }
    /// nil when there is nothing to compare with: not made from a snapshot, or the snapshot is gone.
    public var equalsSnapshot: Bool? { source != nil && snapshotExists ? differences.isEmpty : nil }
    public var ok: Bool { referencesIntact && equalsSnapshot != false }
}

extension AppDatabase {
    /// Re-reads every asset body, re-derives its references and checks each one lands on an asset of
    /// the account and is in the reference index; then compares the account, row by row, with what
    /// its snapshot provisions.
    public func verifyAccount(id: Int64, agencyID: Int64) async throws -> AccountCheck {
        try await writer.read { db in
            let source = try Self.account(id: id, agencyID: agencyID, db).source
            let assets = try Row.fetchAll(db, sql: "SELECT a.kind, a.id, a.name, a.unique_key, \(Self.assetBody) AS body FROM assets a WHERE a.account_id = ?", arguments: [id])
            let present = Set(assets.map { AssetKey(kind: $0["kind"], id: $0["id"]) })
            var indexed = Set(try Row.fetchAll(db, sql: "SELECT from_kind, from_id, pointer, to_kind, to_id FROM asset_references WHERE account_id = ?", arguments: [id])
                .map { "\($0["from_kind"] as String) \($0["from_id"] as Int64) \($0["pointer"] as String) → \($0["to_kind"] as String) \($0["to_id"] as Int64)" })
            var dangling: [String] = []
            var referenceCount = 0
            for row in assets {
                let kind = AssetKind(rawValue: row["kind"])!
                let assetID: Int64 = row["id"]
                let draft: AssetDraft
                do {
                    draft = try kind.spec.draft(from: try JSONValue.parse(row["body"]).objectValue ?? [:])
                } catch {
                    dangling.append("\(kind.rawValue) \(assetID): its body no longer validates (\(error))")
                    continue
                }
                for reference in draft.references {
                    referenceCount += 1
                    let edge = "\(kind.rawValue) \(assetID) \(reference.pointer) → \(reference.kind.rawValue) \(reference.id)"
                    if !present.contains(AssetKey(kind: reference.kind.rawValue, id: reference.id)) {
                        dangling.append(edge + " (no such asset)")
                    } else if indexed.remove(edge) == nil {
                        dangling.append(edge + " (missing from the reference index)")
                    }
                }
            }
            dangling += indexed.sorted().map { $0 + " (indexed, but not in the body)" }

            var differences: [String] = []
            var snapshotExists = false
            if let source, let lineageID = try Int64.fetchOne(
                db, sql: "SELECT lineage_id FROM snapshots WHERE id = ? AND agency_id = ?", arguments: [source.snapshotID, agencyID]
            ) {
                snapshotExists = true
                let expected = try Row.fetchAll(
                    db,
                    sql: Self.provisionedAssets(columns: "v.kind, v.id, b.name, b.unique_key, \(Self.provisionedBody) AS body"),
                    arguments: Self.provisionedArguments(lineageID: lineageID, snapshotID: source.snapshotID, options: source.options)
                )
                differences += Self.differences(expected: expected.map(Self.assetFingerprint), actual: assets.map(Self.assetFingerprint))
                differences += Self.differences(
                    expected: try SnapshotRecords.stored(snapshotID: source.snapshotID, db).map { ("\($0.kind.rawValue) \($0.id)", $0.body) },
                    actual: try SnapshotRecords.read(accountID: id, includes: SnapshotInclude.allCases, db).map { ("\($0.kind.rawValue) \($0.id)", $0.body) }
                )
            }
            return AccountCheck(
                accountID: id, source: source, snapshotExists: snapshotExists, assetsChecked: assets.count,
                referencesChecked: referenceCount, dangling: dangling, differences: differences
            )
        }
    }

    /// An asset row as (its key, everything provisioning copies), for `differences`.
    static func assetFingerprint(_ row: Row) -> (String, String) {
        ("\(row["kind"] as String) \(row["id"] as Int64)", "\(row["name"] as String)\u{0}\(row["unique_key"] as String? ?? "")\u{0}\(row["body"] as String)")
    }

    /// "tag 3: missing", "tag 9: not in the snapshot", "automation 2: differs", in key order.
    static func differences(expected: [(String, String)], actual: [(String, String)]) -> [String] {
        let want = Dictionary(expected, uniquingKeysWith: { first, _ in first })
        let have = Dictionary(actual, uniquingKeysWith: { first, _ in first })
        return Set(want.keys).union(have.keys).sorted().compactMap { key in
            switch (want[key], have[key]) {
            case (nil, _): "\(key): not in the snapshot"
            case (_, nil): "\(key): missing"
            case let (wanted, had) where wanted != had: "\(key): differs from the snapshot"
            default: nil
            }
        }
    }
}
