import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird

/// `/api/3/<kind>` for every asset kind, driven by the kind's `AssetSpec`: v3 envelopes, ids as
/// strings, `limit`/`offset`/`filters[field]`/`search`/`orders[field]`, and `/<kind>/:id/references`.
struct AssetsController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        for kind in AssetKind.allCases {
            let path = kind.spec.path
            group.post(RouterPath(path)) { request, context in try await create(kind, request, context) }
            group.get(RouterPath(path)) { request, context in try await list(kind, request, context) }
            group.get(RouterPath("\(path)/:id")) { _, context in try await show(kind, context) }
            group.put(RouterPath("\(path)/:id")) { request, context in try await update(kind, request, context) }
            group.delete(RouterPath("\(path)/:id")) { request, context in try await delete(kind, context) }
            group.get(RouterPath("\(path)/:id/references")) { _, context in try await references(kind, context) }
        }
    }

    func create(_ kind: AssetKind, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let draft = try kind.spec.draft(from: try await envelope(kind, request))
        let asset = try await database.createAsset(accountID: try context.requireAccount(), draft)
        return try await reply(kind, [StoredAsset(asset)], single: true, context, status: .created)
    }

    func list(_ kind: AssetKind, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (assets, total) = try await database.assets(accountID: try context.requireAccount(), kind: kind, query: try Self.query(for: kind, request))
        return try await reply(kind, assets, single: false, context, total: total)
    }

    func show(_ kind: AssetKind, _ context: AppRequestContext) async throws -> Response {
        let asset = try await database.storedAsset(accountID: try context.requireAccount(), kind: kind, id: try pathID(context, what: kind.spec.envelope))
        return try await reply(kind, [asset], single: true, context)
    }

    /// Fields left out keep their values, as in v3.
    func update(_ kind: AssetKind, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let accountID = try context.requireAccount()
        let id = try pathID(context, what: kind.spec.envelope)
        let changes = try await envelope(kind, request)
        let asset = try await database.changeAsset(accountID: accountID, kind: kind, id: id, fields: changes)
        return try await reply(kind, [StoredAsset(asset)], single: true, context)
    }

    func delete(_ kind: AssetKind, _ context: AppRequestContext) async throws -> Response {
        try await database.deleteAsset(accountID: try context.requireAccount(), kind: kind, id: try pathID(context, what: kind.spec.envelope))
        return try JSONReply.make([String: String]())
    }

    func references(_ kind: AssetKind, _ context: AppRequestContext) async throws -> Response {
        let (usedBy, uses) = try await database.references(
            accountID: try context.requireAccount(), kind: kind, id: try pathID(context, what: kind.spec.envelope)
        )
        struct Edge: Encodable { var kind: String; var id: String; var name: String; var pointer: String }
        let edges = { (list: [ReferenceEdge]) in list.map { Edge(kind: $0.kind.spec.path, id: String($0.id), name: $0.name, pointer: $0.pointer) } }
        return try JSONReply.make(["usedBy": edges(usedBy), "uses": edges(uses)])
    }

    /// The object inside `{"<envelope>": {...}}`.
    func envelope(_ kind: AssetKind, _ request: Request) async throws -> [String: JSONValue] {
        let body = try await request.decodeJSON([String: JSONValue].self)
        guard let fields = body[kind.spec.envelope]?.objectValue else {
            throw DomainError.invalid(field: kind.spec.envelope, message: "Send the \(kind.rawValue) as {\"\(kind.spec.envelope)\": {...}}.")
        }
        return fields
    }

    /// v3 shapes: `{"tag": {...}}` for one, `{"tags": [...], "meta": {"total": "N"}}` for a list.
    /// Pipelines carry the ids of their stages, as v3's dealGroups do. Each stored body is copied into
    /// the reply with `id`, `cdate` and `udate` added (`CanonicalObject`), not parsed and encoded again;
    /// the bytes are what `JSONReply` would write for the same values.
    func reply(_ kind: AssetKind, _ assets: [StoredAsset], single: Bool, _ context: AppRequestContext, total: Int = 0, status: HTTPResponse.Status = .ok) async throws -> Response {
        var stages: [Int64: [Int64]] = [:]
        if kind == .dealGroup {
            stages = try await database.stageIDs(accountID: try context.requireAccount(), groupIDs: assets.map(\.id))
        }
        // Campaigns carry v3's report counters, automations their entered / exited.
        var reports: [Int64: [String: JSONValue]] = [:]
        if kind == .campaign {
            let found = try await database.campaignReports(accountID: try context.requireAccount(), ids: assets.map(\.id))
            for asset in assets { reports[asset.id] = (found[asset.id] ?? CampaignReport()).counters.mapValues { .string(String($0)) } }
        } else if kind == .automation {
            let found = try await database.automationCounters(accountID: try context.requireAccount(), ids: assets.map(\.id))
            for asset in assets {
                reports[asset.id] = ["entered": .string(String(found[asset.id]?.entered ?? 0)), "exited": .string(String(found[asset.id]?.exited ?? 0))]
            }
        }
        var bytes: [UInt8] = []
        func key(_ name: String) {
            CanonicalJSONString.encode(name, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
        }
        func record(_ asset: StoredAsset) {
            var extras: [String: JSONValue] = ["id": .string(String(asset.id)), "cdate": .string(asset.createdAt), "udate": .string(asset.updatedAt)]
            if kind == .dealGroup { extras["stages"] = .array((stages[asset.id] ?? []).map { .string(String($0)) }) }
            extras.merge(reports[asset.id] ?? [:]) { current, _ in current }
            CanonicalObject.append(asset.body, adding: extras, to: &bytes)
        }
        func records() {
            bytes.append(UInt8(ascii: "["))
            for (index, asset) in assets.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                record(asset)
            }
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "{"))
        if single, let asset = assets.first {
            key(kind.spec.envelope)
            record(asset)
        } else {
            // Keys in sorted order, as everywhere: "meta" sorts before "tags" but after "automations".
            let meta = { key("meta"); JSONValue.object(["total": .string(String(total))]).appendCanonical(to: &bytes) }
            let list = { key(kind.spec.path); records() }
            if kind.spec.path < "meta" { list(); bytes.append(UInt8(ascii: ",")); meta() } else { meta(); bytes.append(UInt8(ascii: ",")); list() }
        }
        bytes.append(UInt8(ascii: "}"))
        return JSONReply.make(bytes: bytes, status: status)
    }

    /// `filters[field]=value` and `filters[field][op]=value` (`ListFilter`; the field `search` is the
    /// name), `search=text`, `orders[name|id|cdate|udate]=ASC|DESC`, `limit`, `offset`. Filters name a
    /// field of the kind (or a v3 alias of one); any other filter is ignored, as v3 does.
    static func query(for kind: AssetKind, _ request: Request) throws -> AssetQuery {
        var query = AssetQuery(page: try Page(request))
        // v3 filters stages by pipeline as `filters[d_groupid]`.
        let aliases = ["d_groupid": "group", "title": kind.spec.nameField, "name": kind.spec.nameField]
        for (rawKey, value) in request.uri.queryParameters {
            let key = String(rawKey).removingPercentEncoding ?? String(rawKey)
            if let (name, operation) = ListFilter.parse(key: key) {
                let field = aliases[name] ?? name
                if field == "search" || kind.spec.fields.contains(where: { $0.name == field }) {
                    query.filters.append(ListFilter(field: field, operation: operation, value: String(value)))
                }
            } else if key.hasPrefix("orders["), key.hasSuffix("]") {
                query.orderBy = String(key.dropFirst("orders[".count).dropLast())
                query.descending = value.uppercased() == "DESC"
            } else if key == "search" {
                query.search = String(value)
            }
        }
        return query
    }
}
