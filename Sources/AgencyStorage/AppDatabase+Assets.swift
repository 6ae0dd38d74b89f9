import AgencyDomain
import Foundation
import GRDB

/// How a list of assets is narrowed, ordered and paged (v3's `filters[…]`, `search`, `orders[…]`).
public struct AssetQuery: Sendable {
    /// Filters on the kind's fields; the field `search` is the asset's name.
    public var filters: [ListFilter]
    public var search: String?
    public var orderBy: String?
    public var descending: Bool
    public var page: Page

    public init(filters: [ListFilter] = [], search: String? = nil, orderBy: String? = nil, descending: Bool = false, page: Page = Page()) {
        self.filters = filters
        self.search = search
        self.orderBy = orderBy
        self.descending = descending
        self.page = page
    }
}

/// An asset as stored, its body the canonical text: for replies that add fields to it without
/// parsing it (`CanonicalObject`).
public struct StoredAsset: Sendable {
    public var kind: AssetKind
    public var id: Int64
    public var name: String
    public var body: String
    public var createdAt: String
    public var updatedAt: String

    public init(_ asset: Asset) {
        (kind, id, name, createdAt, updatedAt) = (asset.kind, asset.id, asset.name, asset.createdAt, asset.updatedAt)
        body = JSONValue.object(asset.body).canonicalText()
    }

    init(row: Row) {
        (kind, id, name, body, createdAt, updatedAt) = (AssetKind(rawValue: row["kind"])!, row["id"], row["name"], row["body"], row["created_at"], row["updated_at"])
    }

    init(kind: AssetKind, id: Int64, name: String, body: String, createdAt: String, updatedAt: String) {
        (self.kind, self.id, self.name, self.body, self.createdAt, self.updatedAt) = (kind, id, name, body, createdAt, updatedAt)
    }
}

/// One edge of the reference index, seen from either end.
public struct ReferenceEdge: Equatable, Sendable {
    public var kind: AssetKind
    public var id: Int64
    public var name: String
    public var pointer: String
}

extension AppDatabase {
    /// Stores a new asset. Every reference must name an asset of this account; a duplicate unique value is refused.
    public func createAsset(accountID: Int64, _ draft: AssetDraft) async throws -> Asset {
        try await writer.write { db in
            let id = try db.nextID(draft.kind.rawValue, in: accountID)
            try Self.write(draft, id: id, accountID: accountID, isNew: true, db)
            return try Self.asset(accountID: accountID, kind: draft.kind, id: id, db)
        }
    }

    /// Replaces an asset's body, re-checking and re-indexing its references.
    public func updateAsset(accountID: Int64, id: Int64, _ draft: AssetDraft) async throws -> Asset {
        try await writer.write { db in
            _ = try Self.asset(accountID: accountID, kind: draft.kind, id: id, db)
            try Self.write(draft, id: id, accountID: accountID, isNew: false, db)
            return try Self.asset(accountID: accountID, kind: draft.kind, id: id, db)
        }
    }

    /// Changes the given fields of an asset and keeps the rest (v3's PUT), reading and writing in one
    /// transaction: an edit racing another writer (an update, another PUT) never loses either change.
    public func changeAsset(accountID: Int64, kind: AssetKind, id: Int64, fields changes: [String: JSONValue]) async throws -> Asset {
        try await writer.write { db in
            let current = try Self.asset(accountID: accountID, kind: kind, id: id, db)
            let draft = try kind.spec.draft(from: current.body.merging(changes) { $1 })
            try Self.write(draft, id: id, accountID: accountID, isNew: false, db)
            return try Self.asset(accountID: accountID, kind: kind, id: id, db)
        }
    }

    public func asset(accountID: Int64, kind: AssetKind, id: Int64) async throws -> Asset {
        try quickRead { db in try Self.asset(accountID: accountID, kind: kind, id: id, db) }
    }

    /// The same with its body as stored, unparsed.
    public func storedAsset(accountID: Int64, kind: AssetKind, id: Int64) async throws -> StoredAsset {
        try quickRead { db in
            guard let row = try Row.fetchOne(db, sql: Self.assetSelect + " WHERE account_id = ? AND kind = ? AND id = ?", arguments: [accountID, kind.rawValue, id]) else {
                throw DomainError.notFound(what: "\(kind.spec.envelope) \(id)")
            }
            return StoredAsset(row: row)
        }
    }

    /// Filters compare a top-level field of the body exactly; search matches the name anywhere.
    /// Bodies come as stored, unparsed.
    public func assets(accountID: Int64, kind: AssetKind, query: AssetQuery) async throws -> (assets: [StoredAsset], total: Int) {
        try lean.read { connection in
            var conditions = ["account_id = ?", "kind = ?"]
            var arguments: [any LeanArgument] = [accountID, kind.rawValue]
            for filter in query.filters {
                let value = filter.field == "search" ? "name" : "CAST(json_extract(\(Self.assetBody), ?) AS TEXT)"
                if filter.field != "search" { arguments.append("$.\"\(filter.field)\"") }
                let (comparison, argument) = Self.comparison(filter)
                conditions.append("\(value) \(comparison)")
                arguments.append(argument)
            }
            if let search = query.search, !search.isEmpty {
                conditions.append("name LIKE ? ESCAPE '\\'")
                arguments.append("%" + Self.likeEscaped(search) + "%")
            }
            let whereClause = " WHERE " + conditions.joined(separator: " AND ")
            let total = try connection.integer("SELECT count(*) FROM assets a" + whereClause, arguments)
            let order = switch query.orderBy {
            case "name": "name COLLATE NOCASE"
            case "cdate": "created_at"
            case "udate": "updated_at"
            default: "id"
            }
            let direction = query.descending ? "DESC" : "ASC"
            var assets: [StoredAsset] = []
            let select = Self.assetSelect + whereClause + " ORDER BY \(order) \(direction), id \(direction) LIMIT ? OFFSET ?"
            try connection.forEachRow(select, arguments + [query.page.limit, query.page.offset]) { row in
                assets.append(StoredAsset(
                    kind: AssetKind(rawValue: row.text(0))!, id: row.integer(1), name: row.text(2), body: row.text(3),
                    createdAt: row.text(4), updatedAt: row.text(5)
                ))
            }
            return (assets, Int(total))
        }
    }

    /// A filter's SQL comparison (after the value it compares) and its argument.
    static func comparison(_ filter: ListFilter) -> (String, String) {
        switch filter.operation {
        // Any letter case, as v3's database compares.
        case .eq: ("= ? COLLATE NOCASE", filter.value)
        case .neq: ("IS NOT ? COLLATE NOCASE", filter.value)
        case .lt: ("< ? COLLATE NOCASE", filter.value)
        case .lte: ("<= ? COLLATE NOCASE", filter.value)
        case .gt: ("> ? COLLATE NOCASE", filter.value)
        case .gte: (">= ? COLLATE NOCASE", filter.value)
        case .contains: ("LIKE ? ESCAPE '\\'", "%" + likeEscaped(filter.value) + "%")
        case .startsWith: ("LIKE ? ESCAPE '\\'", likeEscaped(filter.value) + "%")
        }
    }

    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// Deletes an asset that nothing references; otherwise 409 naming what still uses it.
    public func deleteAsset(accountID: Int64, kind: AssetKind, id: Int64) async throws {
        try await writer.write { db in
            let asset = try Self.asset(accountID: accountID, kind: kind, id: id, db)
            let users = try Self.edges(accountID: accountID, to: kind, id: id, db)
            if !users.isEmpty {
                let list = users.map { "\($0.kind.rawValue) \($0.id) \"\($0.name)\" at \($0.pointer)" }.joined(separator: "; ")
                throw DomainError.conflict(code: "asset_in_use", message: "\(kind.rawValue) \(id) \"\(asset.name)\" is still used by: \(list). Remove those references first.")
            }
            if kind == .dealStage, let deals = try Int.fetchOne(db, sql: "SELECT count(*) FROM deals WHERE account_id = ? AND stage_id = ?", arguments: [accountID, id]), deals > 0 {
                throw DomainError.conflict(code: "asset_in_use", message: "Stage \(id) \"\(asset.name)\" still holds \(deals) deal(s). Move them to another stage first.")
            }
            try Self.deleteRemembered(accountID: accountID, kind: kind.rawValue, id: id, db)
        }
    }

    /// Deletes an asset the client chose to delete. One that came from a snapshot leaves a tombstone
    /// with its base, so that drift lists it and an update does not bring it back unasked.
    static func deleteRemembered(accountID: Int64, kind: String, id: Int64, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO asset_tombstones (account_id, kind, origin_id, base_blob, base_inert, deleted_at)
                SELECT account_id, kind, coalesce(origin_id, id), base_blob, shared_inert, ? FROM assets
                WHERE account_id = ? AND kind = ? AND id = ? AND base_blob IS NOT NULL
                ON CONFLICT (account_id, kind, origin_id) DO UPDATE SET base_blob = excluded.base_blob, base_inert = excluded.base_inert
                """,
            arguments: [Timestamp.now(), accountID, kind, id]
        )
        try db.execute(sql: "DELETE FROM assets WHERE account_id = ? AND kind = ? AND id = ?", arguments: [accountID, kind, id])
    }

    /// What uses this asset, and what it uses.
    public func references(accountID: Int64, kind: AssetKind, id: Int64) async throws -> (usedBy: [ReferenceEdge], uses: [ReferenceEdge]) {
        try quickRead { db in
            _ = try Self.asset(accountID: accountID, kind: kind, id: id, db)
            let uses = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.to_kind AS kind, r.to_id AS id, a.name, r.pointer FROM account_references r
                    JOIN assets a ON a.account_id = r.account_id AND a.kind = r.to_kind AND a.id = r.to_id
                    WHERE r.account_id = ? AND r.from_kind = ? AND r.from_id = ? ORDER BY r.pointer
                    """,
                arguments: [accountID, kind.rawValue, id]
            ).map(Self.edge(from:))
            return (try Self.edges(accountID: accountID, to: kind, id: id, db), uses)
        }
    }

    /// The stages of each pipeline, in stage order, for v3's `dealGroup.stages`.
    public func stageIDs(accountID: Int64, groupIDs: [Int64]) async throws -> [Int64: [Int64]] {
        try quickRead { db in
            var result: [Int64: [Int64]] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.to_id AS group_id, a.id FROM account_references r
                    JOIN assets a ON a.account_id = r.account_id AND a.kind = r.from_kind AND a.id = r.from_id
                    WHERE r.account_id = ? AND r.from_kind = 'dealStage' AND r.pointer = '/group' AND r.to_kind = 'dealGroup'
                    ORDER BY json_extract(\(Self.assetBody), '$.order'), a.id
                    """,
                arguments: [accountID]
            )
            let wanted = Set(groupIDs)
            for row in rows where wanted.contains(row["group_id"]) { result[row["group_id"], default: []].append(row["id"]) }
            return result
        }
    }

    // MARK: - Shared with bundles and snapshots

    static func write(_ draft: AssetDraft, id: Int64, accountID: Int64, isNew: Bool, _ db: Database) throws {
        try checkReferencesExist(draft, accountID: accountID, db)
        try store(draft, id: id, accountID: accountID, isNew: isNew, db)
    }

    /// Writes the row and its reference index; references were checked by the caller.
    static func store(_ draft: AssetDraft, id: Int64, accountID: Int64, isNew: Bool, _ db: Database) throws {
        let now = Timestamp.now()
        let body = JSONValue.object(draft.body).canonicalText()
        do {
            if isNew {
                try db.execute(
                    sql: "INSERT INTO assets (account_id, kind, id, name, unique_key, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [accountID, draft.kind.rawValue, id, draft.name, draft.uniqueKey, body, now, now]
                )
            } else {
                try db.execute(
                    // The first write gives a shared asset a body of its own; its base stays (0006_account_bases.sql).
                    sql: """
                        UPDATE assets SET name = ?, unique_key = ?, body = ?, shared_blob = NULL, updated_at = ?
                        WHERE account_id = ? AND kind = ? AND id = ?
                        """,
                    arguments: [draft.name, draft.uniqueKey, body, now, accountID, draft.kind.rawValue, id]
                )
            }
        } catch let error as DatabaseError where error.isUniqueViolation {
            let spec = draft.kind.spec
            let field = spec.uniqueField ?? spec.nameField
            throw DomainError.duplicate(field: "\(spec.envelope).\(field)", message: "A \(draft.kind.rawValue) with \(field) '\(draft.body[field]?.stringValue ?? "")' already exists.")
        }
        try indexReferences(draft, id: id, accountID: accountID, db)
    }

    static func indexReferences(_ draft: AssetDraft, id: Int64, accountID: Int64, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM asset_references WHERE account_id = ? AND from_kind = ? AND from_id = ?", arguments: [accountID, draft.kind.rawValue, id])
        let statement = try db.cachedStatement(sql: "INSERT INTO asset_references (account_id, from_kind, from_id, pointer, to_kind, to_id) VALUES (?, ?, ?, ?, ?, ?)")
        for reference in draft.references {
            try statement.execute(arguments: [accountID, draft.kind.rawValue, id, reference.pointer, reference.kind.rawValue, reference.id])
        }
    }

    static func checkReferencesExist(_ draft: AssetDraft, accountID: Int64, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM assets WHERE account_id = ? AND kind = ? AND id = ?")
        for reference in draft.references where try Bool.fetchOne(statement, arguments: [accountID, reference.kind.rawValue, reference.id]) == nil {
            let field = draft.kind.spec.envelope + reference.pointer.replacingOccurrences(of: "/", with: ".")
            throw DomainError.invalid(field: field, message: "'\(field)' names \(reference.kind.rawValue) \(reference.id), which does not exist in this account.")
        }
    }

    /// What refers to an asset. The `+`s keep SQLite from walking the account's assets in key order to
    /// save the sort, which would read a sandbox's every body; it walks `assets_sharing` instead.
    static func edges(accountID: Int64, to kind: AssetKind, id: Int64, _ db: Database) throws -> [ReferenceEdge] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT r.from_kind AS kind, r.from_id AS id, a.name, r.pointer FROM account_references r
                JOIN assets a ON a.account_id = r.account_id AND a.kind = r.from_kind AND a.id = r.from_id
                WHERE r.account_id = ? AND r.to_kind = ? AND r.to_id = ? ORDER BY +r.from_kind, +r.from_id, r.pointer
                """,
            arguments: [accountID, kind.rawValue, id]
        ).map(edge(from:))
    }

    static func edge(from row: Row) -> ReferenceEdge {
        ReferenceEdge(kind: AssetKind(rawValue: row["kind"])!, id: row["id"], name: row["name"], pointer: row["pointer"])
    }

    /// An asset's body in SQL over `assets a`: its own, or while it shares its snapshot's (see
    /// `0005_shared_asset_bodies.sql`), that blob's body in the form provisioning gave it.
    static let assetBody = body(ofAsset: "a")

    /// The same for the `assets` row named `alias` in a query.
    static func body(ofAsset alias: String) -> String {
        """
        (CASE WHEN \(alias).shared_blob IS NULL THEN \(alias).body
              ELSE (SELECT CASE WHEN \(alias).shared_inert THEN sb.inert_body ELSE sb.body END
                    FROM snapshot_blobs sb WHERE sb.id = \(alias).shared_blob) END)
        """
    }

    static let assetSelect = "SELECT a.kind, a.id, a.name, \(assetBody) AS body, a.created_at, a.updated_at FROM assets a"

    static func asset(accountID: Int64, kind: AssetKind, id: Int64, _ db: Database) throws -> Asset {
        guard let row = try Row.fetchOne(db, sql: assetSelect + " WHERE account_id = ? AND kind = ? AND id = ?", arguments: [accountID, kind.rawValue, id]) else {
            throw DomainError.notFound(what: "\(kind.spec.envelope) \(id)")
        }
        return try asset(from: row)
    }

    static func asset(from row: Row) throws -> Asset {
        Asset(
            kind: AssetKind(rawValue: row["kind"])!, id: row["id"], name: row["name"],
            body: try JSONValue.parse(row["body"]).objectValue ?? [:], createdAt: row["created_at"], updatedAt: row["updated_at"]
        )
    }
}

extension AppDatabase {
    /// Appends options to fields' inline `options` (v3's `fieldOption/bulk`), every field in one
    /// transaction: the stored field is the one that writing the options inline gives. `additions`
    /// keeps the request's order; `paths` name each field id for errors.
    public func appendFieldOptions(accountID: Int64, _ additions: [(fieldID: Int64, option: JSONValue, path: String)]) async throws -> [Asset] {
        try await writer.write { db in
            var bodies: [Int64: [String: JSONValue]] = [:]
            var order: [Int64] = []
            for addition in additions {
                if bodies[addition.fieldID] == nil {
                    guard let field = try? Self.asset(accountID: accountID, kind: .field, id: addition.fieldID, db) else {
                        throw DomainError.invalid(field: addition.path, message: "'\(addition.path)' names field \(addition.fieldID), which does not exist in this account.")
                    }
                    bodies[addition.fieldID] = field.body
                    order.append(addition.fieldID)
                }
                let options = bodies[addition.fieldID]?["options"]?.arrayValue ?? []
                bodies[addition.fieldID]?["options"] = .array(options + [addition.option])
            }
            return try order.map { id in
                try Self.write(try AssetKind.field.spec.draft(from: bodies[id]!), id: id, accountID: accountID, isNew: false, db)
                return try Self.asset(accountID: accountID, kind: .field, id: id, db)
            }
        }
    }
}
