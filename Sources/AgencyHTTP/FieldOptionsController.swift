import AgencyDomain
import AgencyStorage
import Hummingbird

/// v3's field options: `POST /fieldOption/bulk` and `GET /fields/{id}/options`. Options are kept
/// inline in the field (`options: [{label, value}]`, as bundles and snapshots carry them), so both
/// ways of writing them give the same stored field. An option's id is its field's id times 10,000
/// plus its position (from 1), written as digits rather than computed, so a field id near Int64's
/// limit (a bundle may set one) cannot overflow: unique in the account for up to 9,999 options a
/// field, and stable while options are only added.
struct FieldOptionsController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("fieldOption/bulk", use: bulk)
        group.get("fields/:id/options", use: list)
        group.get("fields/:id/fieldRels", use: relations)
    }

    /// The field's relations to lists (`/fieldRels?filters[field]=ID`, under the field).
    @Sendable func relations(_ request: Request, context: AppRequestContext) async throws -> Response {
        let accountID = try context.requireAccount()
        let field = try await database.asset(accountID: accountID, kind: .field, id: try pathID(context, what: "Field"))
        let (relations, total) = try await database.assets(
            accountID: accountID, kind: .fieldRel, query: AssetQuery(filters: [ListFilter(field: "field", value: String(field.id))], page: try Page(request))
        )
        return try await AssetsController(database: database).reply(.fieldRel, relations, single: false, context, total: total)
    }

    @Sendable func bulk(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON([String: JSONValue].self)
        guard let items = body["fieldOptions"]?.arrayValue, !items.isEmpty else {
            throw DomainError.invalid(field: "fieldOptions", message: "Send {\"fieldOptions\": [{\"field\", \"label\", \"value\"}, …]}.")
        }
        let additions = try items.enumerated().map { index, item in
            let path = "fieldOptions[\(index)]"
            let fields = item.objectValue ?? [:]
            let fieldID = try V3Input.id(fields["field"], field: "\(path).field")
            guard let label = try V3Input.text(fields["label"], field: "\(path).label"), !label.isEmpty else {
                throw DomainError.invalid(field: "\(path).label", message: "'\(path).label' is required.")
            }
            let value = try V3Input.text(fields["value"], field: "\(path).value") ?? label
            return (fieldID: fieldID, option: JSONValue.object(["label": .string(label), "value": .string(value)]), path: "\(path).field")
        }
        let fields = try await database.appendFieldOptions(accountID: try context.requireAccount(), additions)
        // The options just added are the last ones of their fields, in the request's order.
        var added: [Int64: Int] = [:]
        for addition in additions { added[addition.fieldID, default: 0] += 1 }
        let replies = fields.flatMap { field in
            let options = Self.options(of: field)
            return options.suffix(added[field.id] ?? 0)
        }
        return try JSONReply.make(JSONValue.object(["fieldOptions": .array(replies)]), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let field = try await database.asset(accountID: try context.requireAccount(), kind: .field, id: try pathID(context, what: "Field"))
        let options = Self.options(of: field)
        return try JSONReply.make(JSONValue.object(["fieldOptions": .array(options), "meta": .object(["total": .string(String(options.count))])]))
    }

    /// `7` as `0007`: the last four digits of an option's id.
    static func fourDigits(_ position: Int) -> String {
        let digits = String(position)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// A field's inline options in v3's fieldOption shape.
    static func options(of field: Asset) -> [JSONValue] {
        (field.body["options"]?.arrayValue ?? []).enumerated().map { index, option in
            let label = option.objectValue?["label"] ?? .string("")
            return .object([
                "id": .string(String(field.id) + Self.fourDigits(index + 1)), "field": .string(String(field.id)), "label": label,
                "value": option.objectValue?["value"] ?? label, "orderid": .string(String(index + 1)), "isdefault": .string("0"),
                "cdate": .string(field.createdAt), "udate": .string(field.updatedAt),
            ])
        }
    }
}
