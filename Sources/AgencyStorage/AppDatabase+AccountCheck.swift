import AgencyDomain
import GRDB

/// What `verify` found about an account: references that point nowhere (a failure), and how the
/// client changed it since its base snapshot (drift, which is no failure).
public struct AccountCheck: Equatable, Sendable {
    public var accountID: Int64
    public var source: AccountSource?
    public var snapshotExists: Bool
    public var assetsChecked: Int
    public var referencesChecked: Int
    public var dangling: [String]
    public var differences: [String]

    public var referencesIntact: Bool { dangling.isEmpty }
    /// Whether the account is still exactly its base; nil when not made from a snapshot. The base is
    /// kept with the account, so this holds after the snapshot is deleted too.
    public var equalsSnapshot: Bool? { source != nil ? differences.isEmpty : nil }
    public var ok: Bool { referencesIntact }
}

extension AppDatabase {
    /// Re-reads every asset body, re-derives its references and checks each one lands on an asset of
    /// the account and is in the reference index; then lists the client's changes since the base.
    public func verifyAccount(id: Int64, agencyID: Int64) async throws -> AccountCheck {
        try await writer.read { db in
            let source = try Self.account(id: id, agencyID: agencyID, db).source
            let assets = try Row.fetchAll(db, sql: "SELECT a.kind, a.id, a.name, a.unique_key, \(Self.assetBody) AS body FROM assets a WHERE a.account_id = ?", arguments: [id])
            let present = Set(assets.map { AssetKey(kind: $0["kind"], id: $0["id"]) })
            var indexed: Set<String> = []
            var dangling: [String] = []
            // Every reference, its own rows and its shared blobs' (0013_shared_asset_references.sql): an
            // asset with both would count its references twice.
            for row in try Row.fetchAll(db, sql: "SELECT from_kind, from_id, pointer, to_kind, to_id FROM account_references WHERE account_id = ?", arguments: [id]) {
                let edge = "\(row["from_kind"] as String) \(row["from_id"] as Int64) \(row["pointer"] as String) → \(row["to_kind"] as String) \(row["to_id"] as Int64)"
                if !indexed.insert(edge).inserted { dangling.append(edge + " (indexed twice)") }
            }
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

            // Differences from the base are the client's own changes (drift), reported but not a failure.
            let differences = source == nil ? [] : try Self.drift(accountID: id, baseSnapshotID: source?.snapshotID, db).lines
            let snapshotExists = source?.snapshotExists ?? false
            return AccountCheck(
                accountID: id, source: source, snapshotExists: snapshotExists, assetsChecked: assets.count,
                referencesChecked: referenceCount, dangling: dangling, differences: differences
            )
        }
    }
}
