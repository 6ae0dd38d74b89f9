import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird

/// Contact data that points at assets, in v3's shapes: `/contactTags`, `/contactLists`, `/fieldValues`
/// (also under `/contacts/:id/…`).
struct ContactDataController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        for kind in [ContactLinkKind.tag, .list, .field] {
            let plural = kind.envelope + "s"
            group.post(RouterPath(plural)) { request, context in try await link(kind, request, context) }
            group.get(RouterPath(plural)) { request, context in try await list(kind, request, context, contactID: nil) }
            group.get(RouterPath("\(plural)/:id")) { _, context in try await show(kind, context) }
            group.delete(RouterPath("\(plural)/:id")) { _, context in try await unlink(kind, context) }
            if kind != .list {
                group.get(RouterPath("contacts/:id/\(plural)")) { request, context in
                    try await list(kind, request, context, contactID: try pathID(context, what: "Contact"))
                }
            }
        }
        group.put("fieldValues/:id") { request, context in try await updateFieldValue(request, context) }
    }

    // MARK: - Links

    func link(_ kind: ContactLinkKind, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let fields = try await V3Input.envelope(kind.envelope, request)
        let contactID = try V3Input.id(fields["contact"], field: "\(kind.envelope).contact")
        let assetID = try V3Input.id(fields[kind.rawValue], field: "\(kind.envelope).\(kind.rawValue)")
        let value: String?
        switch kind {
        case .tag: value = nil
        case .list: value = try Self.listStatus(fields["status"] ?? .string("1"))
        case .field: value = try V3Input.text(fields["value"], field: "fieldValue.value") ?? ""
        }
        let (link, created) = try await database.link(kind, accountID: try context.requireAccount(), contactID: contactID, assetID: assetID, value: value)
        return try JSONReply.make(JSONValue.object([kind.envelope: Self.body(kind, link)]), status: created ? .created : .ok)
    }

    /// `filters[contactid]` and `filters[fieldid]` (`filters[tagid]`, `filters[listid]`) narrow the
    /// list, as v3 documents for fieldValues; a filter that is not an id matches nothing.
    func list(_ kind: ContactLinkKind, _ request: Request, _ context: AppRequestContext, contactID: Int64?) async throws -> Response {
        let page = try Page(request)
        let filter = { (name: String) -> Int64? in request.query("filters[\(name)]").map { Int64($0) ?? -1 } }
        let accountID = try context.requireAccount()
        // Under /contacts/{id}/…, a missing contact is 404; as a filter, it matches nothing.
        if let contactID { _ = try await database.contact(accountID: accountID, id: contactID) }
        let (links, total) = try await database.links(
            kind, accountID: accountID, contactID: contactID ?? filter("contactid"), assetID: filter("\(kind.rawValue)id"), page: page
        )
        return try JSONReply.make(JSONValue.object([
            kind.envelope + "s": .array(links.map { Self.body(kind, $0) }), "meta": .object(["total": .string(String(total))]),
        ]))
    }

    func show(_ kind: ContactLinkKind, _ context: AppRequestContext) async throws -> Response {
        let link = try await database.link(kind, accountID: try context.requireAccount(), id: try pathID(context, what: kind.envelope))
        return try JSONReply.make(JSONValue.object([kind.envelope: Self.body(kind, link)]))
    }

    func unlink(_ kind: ContactLinkKind, _ context: AppRequestContext) async throws -> Response {
        try await database.unlink(kind, accountID: try context.requireAccount(), id: try pathID(context, what: kind.envelope))
        return try JSONReply.make([String: String]())
    }

    func updateFieldValue(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let accountID = try context.requireAccount()
        let current = try await database.link(.field, accountID: accountID, id: try pathID(context, what: "fieldValue"))
        let fields = try await V3Input.envelope("fieldValue", request)
        let (link, _) = try await database.link(.field, accountID: accountID, contactID: current.contactID, assetID: current.assetID, value: try V3Input.text(fields["value"], field: "fieldValue.value") ?? "")
        return try JSONReply.make(JSONValue.object(["fieldValue": Self.body(.field, link)]))
    }

    static func body(_ kind: ContactLinkKind, _ link: ContactLink) -> JSONValue {
        var body: [String: JSONValue] = [
            "id": .string(String(link.id)), "contact": .string(String(link.contactID)),
            kind.rawValue: .string(String(link.assetID)), "cdate": .string(link.createdAt),
        ]
        if kind == .list { body["status"] = .string(link.value ?? "1") }
        if kind == .field { body["value"] = .string(link.value ?? "") }
        return .object(body)
    }

    static func listStatus(_ value: JSONValue) throws -> String {
        guard let status = try V3Input.text(value, field: "contactList.status"), ["1", "2"].contains(status) else {
            throw DomainError.invalid(field: "contactList.status", message: "'contactList.status' is 1 (subscribed) or 2 (unsubscribed).")
        }
        return status
    }
}
