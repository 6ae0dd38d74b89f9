import AgencyDomain
import Foundation
import GRDB

/// Merges a newer snapshot of an account's sandbox into the account, inside the caller's
/// transaction. The work follows the change: only assets with a new version between the account's
/// base snapshot and the target are read. See docs/updates.md for the rules.
struct AccountUpdater {
    let db: Database
    let accountID: Int64
    let options: UpdateOptions
    let lineageID: Int64
    let target: Int64
    var report: UpdateReport
    var identities: AccountIdentities
    var blobs = BaseBlob.Cache()
    /// Sandbox assets in the target snapshot that this update creates, waiting for their bodies.
    var arrivals: [(kind: AssetKind, sandboxID: Int64, blobID: Int64, accountID: Int64)] = []
    var written: [(kind: AssetKind, id: Int64)] = []
    /// Blobs that stopped being a base here: deleted afterwards if nothing else holds them.
    var released = Set<Int64>()

    /// The account's row in the target's terms: its current asset for a sandbox asset.
    struct Present {
        var id: Int64
        var name: String
        var sharedBlob: Int64?
        var baseBlob: Int64
        var baseInert: Bool
    }

    init(db: Database, accountID: Int64, fromSnapshotID: Int64, lineageID: Int64, options: UpdateOptions) throws {
        self.db = db
        self.accountID = accountID
        self.options = options
        self.lineageID = lineageID
        self.target = options.snapshotID
        report = UpdateReport(accountID: accountID, fromSnapshotID: fromSnapshotID, toSnapshotID: options.snapshotID, policy: options.policy, dryRun: options.dryRun)
        identities = try AccountIdentities(accountID: accountID, db)
    }

    mutating func run() throws -> UpdateReport {
        var removals: [(kind: AssetKind, present: Present)] = []
        var merges: [(kind: AssetKind, present: Present, theirs: Int64)] = []
        for (kind, sandboxID) in try changedAssets() {
            let theirs = try targetBlob(kind: kind, sandboxID: sandboxID)
            if let present = try present(kind: kind, sandboxID: sandboxID) {
                if let theirs {
                    if theirs != present.baseBlob { merges.append((kind, present, theirs)) }
                } else {
                    removals.append((kind, present))
                }
            } else if let tombstone = try tombstone(kind: kind, sandboxID: sandboxID) {
                try settle(tombstone, kind: kind, sandboxID: sandboxID, theirsID: theirs)
            } else if let theirs {
                try arrive(kind: kind, sandboxID: sandboxID, blobID: theirs)
            }
        }
        // Arrivals have their ids by now, so merged bodies can refer to them.
        for (kind, present, theirs) in merges { try merge(kind: kind, present: present, theirsID: theirs) }
        // Arrivals get their ids first and their bodies after, so they may refer to each other; writing
        // a body can pull in further arrivals it refers to.
        while !arrivals.isEmpty {
            let arrival = arrivals.removeFirst()
            try writeArrival(arrival)
        }
        try remove(removals)
        try checkWrittenReferences()
        return report
    }

    // MARK: - What changed

    /// Sandbox assets with a version after the account's base snapshot, up to the target.
    func changedAssets() throws -> [(AssetKind, Int64)] {
        try Row.fetchAll(
            db,
            sql: "SELECT DISTINCT kind, id FROM snapshot_versions WHERE lineage_id = ? AND since > ? AND since <= ? ORDER BY kind, id",
            arguments: [lineageID, report.fromSnapshotID, target]
        ).compactMap { row in
            let kind = AssetKind(rawValue: row["kind"])!
            return options.kinds.map { $0.contains(kind) } ?? true ? (kind, row["id"]) : nil
        }
    }

    /// The blob the target snapshot holds for a sandbox asset; nil when it does not hold the asset.
    func targetBlob(kind: AssetKind, sandboxID: Int64) throws -> Int64? {
        let statement = try db.cachedStatement(sql: """
            SELECT blob_id FROM snapshot_versions WHERE lineage_id = ? AND kind = ? AND id = ? AND since <= ? ORDER BY since DESC LIMIT 1
            """)
        return try Row.fetchOne(statement, arguments: [lineageID, kind.rawValue, sandboxID, target]).flatMap { $0["blob_id"] }
    }

    mutating func present(kind: AssetKind, sandboxID: Int64) throws -> Present? {
        guard let id = try identities.accountID(of: kind, sandboxID: sandboxID, db) else { return nil }
        let statement = try db.cachedStatement(sql: "SELECT name, shared_blob, base_blob, shared_inert FROM assets WHERE account_id = ? AND kind = ? AND id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [accountID, kind.rawValue, id]) else { return nil }
        return Present(id: id, name: row["name"], sharedBlob: row["shared_blob"], baseBlob: row["base_blob"], baseInert: row["shared_inert"])
    }

    /// The account's body of an asset: read only where the full merge needs it.
    func body(of kind: AssetKind, _ id: Int64) throws -> String {
        let statement = try db.cachedStatement(sql: "SELECT \(AppDatabase.assetBody) FROM assets a WHERE a.account_id = ? AND a.kind = ? AND a.id = ?")
        return try String.fetchOne(statement, arguments: [accountID, kind.rawValue, id]) ?? "{}"
    }

    func tombstone(kind: AssetKind, sandboxID: Int64) throws -> (baseBlob: Int64, inert: Bool)? {
        let statement = try db.cachedStatement(sql: "SELECT base_blob, base_inert FROM asset_tombstones WHERE account_id = ? AND kind = ? AND origin_id = ?")
        return try Row.fetchOne(statement, arguments: [accountID, kind.rawValue, sandboxID]).map { ($0["base_blob"], $0["base_inert"]) }
    }

    // MARK: - Changed on both sides, or only in the snapshot

    mutating func merge(kind: AssetKind, present: Present, theirsID: Int64) throws {
        if present.sharedBlob != nil, try shareTheirs(kind: kind, present: present, theirsID: theirsID) { return }
        let base = try blobs.blob(present.baseBlob, db)
        let theirs = try blobs.blob(theirsID, db)
        let ours = try JSONValue.parse(try body(of: kind, present.id)).objectValue ?? [:]
        var baseBody = try identities.mapped(base.object(inert: present.baseInert), kind: kind, db).body
        let theirsMapped = try mappedPullingArrivals(theirs.object(inert: false), kind: kind)
        var theirsBody = theirsMapped.body
        for field in kind.clientOwnedFields {
            baseBody[field] = ours[field]
            theirsBody[field] = ours[field]
        }
        var merge = ThreeWayMerge(base: .object(baseBody), ours: .object(ours), theirs: .object(theirsBody), policy: options.policy)
        let merged = merge.merged?.objectValue ?? ours
        guard let draft = try checkedDraft(kind: kind, id: present.id, body: merged, from: theirsMapped) else {
            // The merged body needs something the account does not have (or takes a name another asset
            // has): the asset stays as the client has it, with its old base, and so does the account's
            // base snapshot, so that the next update takes it up again.
            heldBack = true
            merge.conflicts.append(FieldConflict.wholeAsset())
            report.conflicts.append(UpdateConflict(
                kind: kind, id: present.id, name: present.name, fields: merge.conflicts, resolution: .keepClient,
                reason: blockedReason ?? "the snapshot's version cannot be merged into this account"
            ))
            return
        }
        try write(draft, kind: kind, id: present.id, blob: theirs, baseInert: present.baseInert, changed: merged != ours || present.sharedBlob != nil, oldBase: present.baseBlob)
        if !merge.applied.isEmpty {
            report.applied.append(UpdateItem(kind: kind, id: present.id, name: draft.name, pointers: merge.applied))
            report.omitted += try imagesIn(merge.applied, of: theirs, accountID: present.id)
        }
        if !merge.kept.isEmpty {
            report.kept.append(UpdateItem(kind: kind, id: present.id, name: draft.name, pointers: merge.kept, reason: "changed by the client"))
        }
        if !merge.conflicts.isEmpty {
            report.conflicts.append(UpdateConflict(kind: kind, id: present.id, name: draft.name, fields: merge.conflicts, resolution: options.policy))
        }
    }

    /// An asset the client never touched takes the snapshot's body as it is: it shares the new blob,
    /// and with it the blob's references, with no body made into a draft or written. Only when every
    /// reference lands on the same id in the account, the name is free, and the client's own fields
    /// (an automation's status) are the same in both; otherwise the full merge does the work.
    mutating func shareTheirs(kind: AssetKind, present: Present, theirsID: Int64) throws -> Bool {
        let base = try blobs.blob(present.baseBlob, db)
        // The account's status is the inert one when it got the inert form or the sandbox's already was
        // inert; then the new blob's inert form carries the same status. Otherwise the full merge keeps it.
        let inertStatus = present.baseInert || base.inertBody == nil
        guard kind.clientOwnedFields.isEmpty || inertStatus else { return false }
        let theirs = try blobs.blob(theirsID, db)
        // Most changes (copy, names) leave the references as they were: then they still land (a shared
        // body's references are the account's own ids, and nothing they name can be deleted while they
        // stand); other references must land on the same ids in the account.
        guard try Self.sameReferences(present.baseBlob, theirsID, db) || identities.resolveUnchanged(referencesOf: theirsID, db) else { return false }
        if let key = theirs.uniqueKey, try holder(of: key, kind: kind, other: present.id) != nil { return false }

        let inert = !kind.clientOwnedFields.isEmpty && theirs.inertBody != nil
        try db.cachedStatement(sql: """
            UPDATE assets SET name = ?, unique_key = ?, shared_blob = ?, base_blob = ?, shared_inert = ?, updated_at = ?
            WHERE account_id = ? AND kind = ? AND id = ?
            """).execute(arguments: [theirs.name, theirs.uniqueKey, theirsID, theirsID, inert, Timestamp.now(), accountID, kind.rawValue, present.id])
        // Its references are the blob's (0013_shared_asset_references.sql), checked above: nothing for
        // checkWrittenReferences to do.
        released.insert(present.baseBlob)
        let applied = CanonicalDiff.pointers(base.text(inert: present.baseInert), theirs.text(inert: inert))
        report.applied.append(UpdateItem(kind: kind, id: present.id, name: theirs.name, pointers: applied))
        report.omitted += try imagesIn(applied, of: theirs, accountID: present.id)
        return true
    }

    /// Whether two blobs hold the same references at the same pointers: as many of them, and each of
    /// the first's at its pointer in the second (one reference per pointer, the key). Look-ups by key
    /// only; the `EXCEPT`s this replaced built two temporary B-trees per changed asset of an update.
    static func sameReferences(_ a: Int64, _ b: Int64, _ db: Database) throws -> Bool {
        let statement = try db.cachedStatement(sql: """
            SELECT (SELECT count(*) FROM snapshot_blob_references WHERE blob_id = ?1)
                   = (SELECT count(*) FROM snapshot_blob_references WHERE blob_id = ?2)
               AND NOT EXISTS (
                   SELECT 1 FROM snapshot_blob_references r WHERE r.blob_id = ?1 AND NOT EXISTS (
                       SELECT 1 FROM snapshot_blob_references s
                       WHERE s.blob_id = ?2 AND s.pointer = r.pointer AND s.to_kind = r.to_kind AND s.to_id = r.to_id))
            """)
        return try Bool.fetchOne(statement, arguments: [a, b]) ?? false
    }

    /// The images stripped from what was applied: only those are new to the client.
    func imagesIn(_ applied: [String], of blob: BaseBlob, accountID id: Int64) throws -> [OmittedImage] {
        try blob.omittedImages(accountID: id).filter { image in
            let field = String(image.location.prefix { $0 != "#" })
            return applied.contains { field == $0 || field.hasPrefix($0 + "/") }
        }
    }

    var blockedReason: String?
    /// Whether a change was left for a later update, so the account's base snapshot must stay.
    var heldBack = false

    /// The merged body as a draft, or nil when it cannot be written into this account as it is.
    /// `snapshot` is the mapped snapshot body it was merged from, with the references left unresolved.
    mutating func checkedDraft(kind: AssetKind, id: Int64, body: [String: JSONValue], from snapshot: MappedBody) throws -> AssetDraft? {
        blockedReason = nil
        if let missing = snapshot.unresolvedReference(keptIn: body) {
            blockedReason = "it would refer to \(missing.kind.rawValue) \(missing.id) of the sandbox, which this account does not have (deleted by the client, or not added)"
            return nil
        }
        guard let draft = try? kind.spec.draft(from: body) else {
            blockedReason = "the merged version does not validate"
            return nil
        }
        if let key = draft.uniqueKey, let holder = try holder(of: key, kind: kind, other: id) {
            blockedReason = "\(kind.rawValue) \(holder) of this account already has the name '\(draft.name)'"
            return nil
        }
        return draft
    }

    /// The account's asset other than `other` that holds the unique name `key`, if any.
    func holder(of key: String, kind: AssetKind, other: Int64) throws -> Int64? {
        let statement = try db.cachedStatement(sql: "SELECT id FROM assets WHERE account_id = ? AND kind = ? AND unique_key = ? AND id <> ?")
        return try Int64.fetchOne(statement, arguments: [accountID, kind.rawValue, key, other])
    }

    /// Writes the merged asset with `blob` as its new base. A body equal to the blob's shares it again.
    mutating func write(_ draft: AssetDraft, kind: AssetKind, id: Int64, blob: BaseBlob, baseInert: Bool, changed: Bool, oldBase: Int64) throws {
        released.insert(oldBase)
        let text = JSONValue.object(draft.body).canonicalText()
        let sharedInert: Bool? = text == blob.body ? false : (text == blob.inertBody ? true : nil)
        if changed { try AppDatabase.store(draft, id: id, accountID: accountID, isNew: false, db) }
        if let sharedInert {
            try db.execute(
                sql: "UPDATE assets SET body = 'null', shared_blob = ?, base_blob = ?, shared_inert = ? WHERE account_id = ? AND kind = ? AND id = ?",
                arguments: [blob.id, blob.id, sharedInert, accountID, kind.rawValue, id]
            )
        } else {
            try db.execute(
                sql: "UPDATE assets SET base_blob = ?, shared_inert = ? WHERE account_id = ? AND kind = ? AND id = ?",
                arguments: [blob.id, baseInert && blob.inertBody != nil, accountID, kind.rawValue, id]
            )
        }
        written.append((kind, id))
    }

    /// Every asset this update wrote refers only to assets the account has. The schema's deferred
    /// foreign keys would refuse the commit anyway; this says which asset and keeps dry runs honest.
    func checkWrittenReferences() throws {
        let statement = try db.cachedStatement(sql: """
            SELECT r.pointer, r.to_kind, r.to_id FROM account_references r
            WHERE r.account_id = ? AND r.from_kind = ? AND r.from_id = ?
              AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.account_id = r.account_id AND a.kind = r.to_kind AND a.id = r.to_id)
            """)
        for (kind, id) in written {
            if let row = try Row.fetchOne(statement, arguments: [accountID, kind.rawValue, id]) {
                throw DomainError.conflict(
                    code: "update_dangling_reference",
                    message: "The update would leave \(kind.rawValue) \(id) referring to \(row["to_kind"] as String) \(row["to_id"] as Int64), which the account does not have; nothing was changed."
                )
            }
        }
    }
}
