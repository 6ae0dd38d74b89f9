import AgencyDomain
import Foundation
import GRDB

/// What an update does with assets the snapshot removed.
extension AccountUpdater {
    /// Removes what the snapshot removed, unless the client edited it, its contacts or deals use it,
    /// or something that stays refers to it; those stay, as the client's own from now on.
    mutating func remove(_ candidates: [(kind: AssetKind, present: Present)]) throws {
        var keep: [AssetKey: String] = [:]
        var removing = Set(candidates.map { AssetKey(kind: $0.kind.rawValue, id: $0.present.id) })
        for (kind, present) in candidates {
            let key = AssetKey(kind: kind.rawValue, id: present.id)
            if present.sharedBlob == nil {
                let base = try identities.mapped(blobs.blob(present.baseBlob, db).object(inert: present.baseInert), kind: kind, db).body
                if !FieldChange.between(.object(base), try JSONValue.parse(try body(of: kind, present.id))).isEmpty { keep[key] = "edited by the client" }
            }
            if keep[key] == nil, let data = try Self.contactData(kind: kind, id: present.id, accountID: accountID, db) { keep[key] = data }
            if keep[key] != nil { removing.remove(key) }
        }
        // What stays may refer to what would go: then that stays too, until nothing changes.
        let usersStatement = try db.cachedStatement(sql: "SELECT from_kind, from_id FROM account_references WHERE account_id = ? AND to_kind = ? AND to_id = ?")
        var users: [AssetKey: [AssetKey]] = [:]
        for key in removing {
            users[key] = try Row.fetchAll(usersStatement, arguments: [accountID, key.kind, key.id]).map { AssetKey(kind: $0["from_kind"], id: $0["from_id"]) }
        }
        var settled = false
        while !settled {
            settled = true
            for key in removing {
                if let user = users[key, default: []].first(where: { !removing.contains($0) }) {
                    removing.remove(key)
                    keep[key] = "still used by \(user.kind) \(user.id)"
                    settled = false
                }
            }
        }
        for (kind, present) in candidates {
            let key = AssetKey(kind: kind.rawValue, id: present.id)
            released.insert(present.baseBlob)
            if removing.contains(key) {
                try db.execute(sql: "DELETE FROM assets WHERE account_id = ? AND kind = ? AND id = ?", arguments: [accountID, key.kind, key.id])
                report.removed.append(UpdateItem(kind: kind, id: present.id, name: present.name))
            } else {
                // The snapshot no longer has it: it is the client's own from now on, with its body.
                try db.execute(
                    sql: "UPDATE assets SET body = ?, shared_blob = NULL, base_blob = NULL, origin_id = NULL, shared_inert = 0 WHERE account_id = ? AND kind = ? AND id = ?",
                    arguments: [try body(of: kind, present.id), accountID, key.kind, key.id]
                )
                report.kept.append(UpdateItem(kind: kind, id: present.id, name: present.name, reason: "removed in the snapshot, but \(keep[key] ?? "kept")"))
            }
        }
    }

    /// Why contact data keeps an asset, or nil.
    static func contactData(kind: AssetKind, id: Int64, accountID: Int64, _ db: Database) throws -> String? {
        let (table, column, what) = switch kind {
        case .tag: ("contact_tags", "tag_id", "contacts have this tag")
        case .list: ("contact_lists", "list_id", "contacts are on this list")
        case .field: ("field_values", "field_id", "contacts have values in this field")
        case .dealStage: ("deals", "stage_id", "deals are in this stage")
        default: ("", "", "")
        }
        guard !table.isEmpty else { return nil }
        let used = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE account_id = ? AND \(column) = ?)", arguments: [accountID, id]) ?? false
        return used ? what : nil
    }
}
