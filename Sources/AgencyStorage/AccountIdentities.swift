import AgencyDomain
import GRDB

/// Which asset of a client account stands for an asset of its sandbox. Provisioning keeps the
/// sandbox's ids; an asset that arrives later with an update takes the account's next id and
/// remembers the sandbox's (`origin_id`), so bodies from snapshots must be mapped before they are
/// compared with the account's or written into it.
struct AccountIdentities {
    let accountID: Int64
    private var known: [AssetKey: Int64?] = [:]

    init(accountID: Int64) {
        self.accountID = accountID
    }

    /// The account's id for sandbox asset `kind`/`sandboxID`, nil when the account does not have it
    /// (never had it, or the client deleted it).
    mutating func accountID(of kind: AssetKind, sandboxID: Int64, _ db: Database) throws -> Int64? {
        let key = AssetKey(kind: kind.rawValue, id: sandboxID)
        if let found = known[key] { return found }
        let byOrigin = try db.cachedStatement(sql: "SELECT id FROM assets WHERE account_id = ? AND kind = ? AND origin_id = ? AND base_blob IS NOT NULL")
        let sameID = try db.cachedStatement(sql: """
            SELECT id FROM assets WHERE account_id = ? AND kind = ? AND id = ? AND origin_id IS NULL AND base_blob IS NOT NULL
            """)
        let arguments: StatementArguments = [accountID, kind.rawValue, sandboxID]
        let found = try Int64.fetchOne(byOrigin, arguments: arguments) ?? Int64.fetchOne(sameID, arguments: arguments)
        known[key] = found
        return found
    }

    mutating func record(_ kind: AssetKind, sandboxID: Int64, accountID id: Int64?) {
        known[AssetKey(kind: kind.rawValue, id: sandboxID)] = id
    }

    /// A snapshot body with every reference turned into the account's ids. A reference the account
    /// cannot resolve becomes a value no id ever equals and no body accepts, so a merge that would
    /// keep it fails validation instead of pointing at the wrong asset.
    mutating func mapped(_ body: [String: JSONValue], kind: AssetKind, _ db: Database) throws -> [String: JSONValue] {
        let draft = try kind.spec.draft(from: body)
        var result = JSONValue.object(draft.body)
        for reference in draft.references {
            let id = try accountID(of: reference.kind, sandboxID: reference.id, db)
            let value = id.map { String($0) } ?? "missing:\(reference.kind.rawValue):\(reference.id)"
            if id != reference.id { result = JSONPointer.replacing(reference.pointer, in: result, with: .string(value)) }
        }
        return result.objectValue ?? [:]
    }

    /// The sandbox assets a mapped body could not resolve, from the placeholders `mapped` left.
    static func unresolved(in body: [String: JSONValue]) -> [(kind: AssetKind, id: Int64)] {
        var found: [(AssetKind, Int64)] = []
        func visit(_ value: JSONValue) {
            switch value {
            case .string(let text) where text.hasPrefix("missing:"):
                let parts = text.split(separator: ":")
                if parts.count == 3, let kind = AssetKind(rawValue: String(parts[1])), let id = Int64(parts[2]) { found.append((kind, id)) }
            case .array(let items): items.forEach(visit)
            case .object(let object): object.values.forEach(visit)
            default: break
            }
        }
        visit(.object(body))
        return found
    }
}
