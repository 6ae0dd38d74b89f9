import AgencyDomain
import Foundation
import GRDB

/// What an update does with assets the snapshot added, and with assets the client deleted.
extension AccountUpdater {
    // MARK: - Deleted by the client

    /// An asset the client deleted that the snapshot changed or removed.
    mutating func settle(_ tombstone: (baseBlob: Int64, inert: Bool), kind: AssetKind, sandboxID: Int64, theirsID: Int64?) throws {
        guard theirsID != tombstone.baseBlob else { return }
        released.insert(tombstone.baseBlob)
        guard let theirsID else {
            try db.execute(sql: "DELETE FROM asset_tombstones WHERE account_id = ? AND kind = ? AND origin_id = ?", arguments: [accountID, kind.rawValue, sandboxID])
            return
        }
        let theirs = try blobs.blob(theirsID, db)
        report.conflicts.append(UpdateConflict(
            kind: kind, id: sandboxID, name: theirs.name, fields: [FieldConflict.wholeAsset()],
            resolution: options.policy, reason: "deleted by the client and changed in the snapshot"
        ))
        if options.policy == .takeSnapshot {
            try db.execute(sql: "DELETE FROM asset_tombstones WHERE account_id = ? AND kind = ? AND origin_id = ?", arguments: [accountID, kind.rawValue, sandboxID])
            try arrive(kind: kind, sandboxID: sandboxID, blobID: theirsID)
        } else {
            try db.execute(
                sql: "UPDATE asset_tombstones SET base_blob = ? WHERE account_id = ? AND kind = ? AND origin_id = ?",
                arguments: [theirsID, accountID, kind.rawValue, sandboxID]
            )
        }
    }

    // MARK: - Added in the snapshot

    /// Gives an arriving asset its id in the account; its body is written once every arrival has one.
    /// A client's own asset with the same unique name (a tag, a field's personalisation tag) becomes it.
    mutating func arrive(kind: AssetKind, sandboxID: Int64, blobID: Int64) throws {
        let blob = try blobs.blob(blobID, db)
        if let key = blob.uniqueKey, let row = try Row.fetchOne(
            db, sql: "SELECT id, name, base_blob FROM assets WHERE account_id = ? AND kind = ? AND unique_key = ?", arguments: [accountID, kind.rawValue, key]
        ) {
            let id: Int64 = row["id"]
            guard (row["base_blob"] as Int64?) == nil else {
                report.conflicts.append(UpdateConflict(
                    kind: kind, id: id, name: row["name"], fields: [FieldConflict.wholeAsset()],
                    resolution: .keepClient, reason: "the snapshot adds \(kind.rawValue) \(sandboxID) '\(blob.name)', whose name this one already has"
                ))
                heldBack = true
                return
            }
            try db.execute(
                sql: "UPDATE assets SET base_blob = ?, origin_id = ? WHERE account_id = ? AND kind = ? AND id = ?",
                arguments: [blobID, id == sandboxID ? nil : sandboxID, accountID, kind.rawValue, id]
            )
            identities.record(kind, sandboxID: sandboxID, accountID: id)
            report.kept.append(UpdateItem(kind: kind, id: id, name: row["name"], reason: "the client's own \(kind.rawValue) of the same name stands for the snapshot's"))
            return
        }
        let id = try db.nextID(kind.rawValue, in: accountID)
        identities.record(kind, sandboxID: sandboxID, accountID: id)
        arrivals.append((kind, sandboxID, blobID, id))
    }

    /// An arrival's row: the blob's inert form (new automations arrive inactive, new campaigns as
    /// drafts), its references in the account's ids, shared with the blob when that changes nothing.
    mutating func writeArrival(_ arrival: (kind: AssetKind, sandboxID: Int64, blobID: Int64, accountID: Int64)) throws {
        let blob = try blobs.blob(arrival.blobID, db)
        let inert = blob.inertBody != nil
        let mapped = try mappedPullingArrivals(blob.object(inert: inert), kind: arrival.kind)
        guard let draft = try checkedDraft(kind: arrival.kind, id: arrival.accountID, body: mapped.body, from: mapped) else {
            identities.record(arrival.kind, sandboxID: arrival.sandboxID, accountID: nil)
            heldBack = true
            report.conflicts.append(UpdateConflict(
                kind: arrival.kind, id: arrival.sandboxID, name: blob.name, fields: [FieldConflict.wholeAsset()],
                resolution: .keepClient, reason: "not added: " + (blockedReason ?? "it cannot be written into this account")
            ))
            return
        }
        try AppDatabase.store(draft, id: arrival.accountID, accountID: accountID, isNew: true, db)
        let text = JSONValue.object(draft.body).canonicalText()
        let shared = text == blob.text(inert: inert)
        try db.execute(
            sql: """
                UPDATE assets SET base_blob = ?, origin_id = ?, shared_inert = ?,
                    shared_blob = CASE WHEN ? THEN ? END, body = CASE WHEN ? THEN 'null' ELSE body END
                WHERE account_id = ? AND kind = ? AND id = ?
                """,
            arguments: [
                blob.id, arrival.accountID == arrival.sandboxID ? nil : arrival.sandboxID, inert,
                shared, blob.id, shared, accountID, arrival.kind.rawValue, arrival.accountID,
            ]
        )
        written.append((arrival.kind, arrival.accountID))
        report.created.append(UpdateItem(kind: arrival.kind, id: arrival.accountID, name: draft.name))
        report.omitted += try blob.omittedImages(accountID: arrival.accountID)
    }

    /// A snapshot body in the account's ids. What it refers to that the account does not have yet
    /// and the target snapshot holds comes along as an arrival (also when `kinds` left that kind out);
    /// what the client deleted stays unresolved.
    mutating func mappedPullingArrivals(_ body: [String: JSONValue], kind: AssetKind) throws -> MappedBody {
        let mapped = try identities.mapped(body, kind: kind, db)
        var pulled = false
        for missing in mapped.unresolved {
            if try tombstone(kind: missing.kind, sandboxID: missing.id) != nil { continue }
            if let blobID = try targetBlob(kind: missing.kind, sandboxID: missing.id) {
                try arrive(kind: missing.kind, sandboxID: missing.id, blobID: blobID)
                pulled = true
            }
        }
        return pulled ? try identities.mapped(body, kind: kind, db) : mapped
    }
}
