import AgencyDomain
import GRDB

/// Which asset of a client account stands for an asset of its sandbox. Provisioning keeps the
/// sandbox's ids; an asset that arrives later with an update takes the account's next id and
/// remembers the sandbox's (`origin_id`), so bodies from snapshots must be mapped before they are
/// compared with the account's or written into it.
struct AccountIdentities {
    let accountID: Int64
    private var known: [AssetKey: Int64?] = [:]

    /// Assets that arrived at another id than the sandbox's: few, so read once.
    private let remapped: [AssetKey: Int64]

    init(accountID: Int64, _ db: Database) throws {
        self.accountID = accountID
        var remapped: [AssetKey: Int64] = [:]
        // Through the partial index of such assets: SQLite would otherwise walk every asset of the
        // account by its key (a sixth of a small update's time).
        let sql = "SELECT kind, id, origin_id FROM assets INDEXED BY assets_by_origin WHERE account_id = ? AND origin_id IS NOT NULL AND base_blob IS NOT NULL"
        for row in try Row.fetchAll(db, sql: sql, arguments: [accountID]) {
            remapped[AssetKey(kind: row["kind"], id: row["origin_id"])] = row["id"]
        }
        self.remapped = remapped
    }

    /// Whether every reference a snapshot blob holds lands on the same id in this account: one query
    /// for the blob, instead of one per reference.
    mutating func resolveUnchanged(referencesOf blobID: Int64, _ db: Database) throws -> Bool {
        let missing = try db.cachedStatement(sql: """
            SELECT 1 FROM snapshot_blob_references r WHERE r.blob_id = ? AND NOT EXISTS (
                SELECT 1 FROM assets a WHERE a.account_id = ? AND a.kind = r.to_kind AND a.id = r.to_id
                  AND a.origin_id IS NULL AND a.base_blob IS NOT NULL)
            LIMIT 1
            """)
        guard try Bool.fetchOne(missing, arguments: [blobID, accountID]) == nil else { return false }
        // Every target is an asset the account got at the sandbox's id (assets this update is still
        // creating are not in the table yet, so they fail the check above). Remapped ones are checked too.
        guard !remapped.isEmpty else { return true }
        let references = try db.cachedStatement(sql: "SELECT to_kind, to_id FROM snapshot_blob_references WHERE blob_id = ?")
        for row in try Row.fetchAll(references, arguments: [blobID]) {
            let target: Int64 = row["to_id"]
            guard try accountID(of: AssetKind(rawValue: row["to_kind"])!, sandboxID: target, db) == target else { return false }
        }
        return true
    }

    /// The account's id for sandbox asset `kind`/`sandboxID`, nil when the account does not have it
    /// (never had it, or the client deleted it).
    mutating func accountID(of kind: AssetKind, sandboxID: Int64, _ db: Database) throws -> Int64? {
        let key = AssetKey(kind: kind.rawValue, id: sandboxID)
        if let found = known[key] { return found }
        if let found = remapped[key] { return found }
        let sameID = try db.cachedStatement(sql: """
            SELECT id FROM assets WHERE account_id = ? AND kind = ? AND id = ? AND origin_id IS NULL AND base_blob IS NOT NULL
            """)
        let found = try Int64.fetchOne(sameID, arguments: [accountID, kind.rawValue, sandboxID])
        known[key] = found
        return found
    }

    mutating func record(_ kind: AssetKind, sandboxID: Int64, accountID id: Int64?) {
        known[AssetKey(kind: kind.rawValue, id: sandboxID)] = id
    }

    /// A snapshot body with every reference turned into the account's ids. A reference the account
    /// cannot resolve becomes a placeholder no id ever equals and no body accepts, and is listed with
    /// its pointer: only a placeholder at that pointer means it, whatever text a body holds elsewhere.
    mutating func mapped(_ body: [String: JSONValue], kind: AssetKind, _ db: Database) throws -> MappedBody {
        let draft = try kind.spec.draft(from: body)
        var result = JSONValue.object(draft.body)
        var unresolved: [AssetReference] = []
        for reference in draft.references {
            let id = try accountID(of: reference.kind, sandboxID: reference.id, db)
            if id == nil { unresolved.append(reference) }
            if id != reference.id {
                result = JSONPointer.replacing(reference.pointer, in: result, with: id.map { .string(String($0)) } ?? Self.placeholder(for: reference))
            }
        }
        return MappedBody(body: result.objectValue ?? [:], unresolved: unresolved)
    }

    static func placeholder(for reference: AssetReference) -> JSONValue {
        .string("missing:\(reference.kind.rawValue):\(reference.id)")
    }
}

/// A snapshot body in an account's ids, and the references it holds that the account cannot resolve.
struct MappedBody {
    var body: [String: JSONValue]
    var unresolved: [AssetReference]

    /// The first unresolved reference that `merged` still holds at its place.
    func unresolvedReference(keptIn merged: [String: JSONValue]) -> AssetReference? {
        unresolved.first { JSONPointer.value(at: $0.pointer, in: .object(merged)) == AccountIdentities.placeholder(for: $0) }
    }
}
