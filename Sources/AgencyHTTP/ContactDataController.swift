import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird

/// Contact data that points at assets, in v3's shapes: `/contactTags`, `/contactLists`, `/fieldValues`
/// (also under `/contacts/:id/…`), and `/deals`.
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
        group.post("deals") { request, context in try await createDeal(request, context) }
        group.get("deals") { request, context in try await listDeals(request, context) }
        group.get("deals/:id") { _, context in try dealReply(try await database.deal(accountID: try context.requireAccount(), id: try pathID(context, what: "deal"))) }
        group.put("deals/:id") { request, context in try await updateDeal(request, context) }
        group.delete("deals/:id") { _, context in
            try await database.deleteDeal(accountID: try context.requireAccount(), id: try pathID(context, what: "deal"))
            return try JSONReply.make([String: String]())
        }
    }

    // MARK: - Links

    func link(_ kind: ContactLinkKind, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let fields = try await Self.envelope(kind.envelope, request)
        let contactID = try Self.id(fields["contact"], field: "\(kind.envelope).contact")
        let assetID = try Self.id(fields[kind.rawValue], field: "\(kind.envelope).\(kind.rawValue)")
        let value: String?
        switch kind {
        case .tag: value = nil
        case .list: value = try Self.listStatus(fields["status"] ?? .string("1"))
        case .field: value = try Self.text(fields["value"], field: "fieldValue.value") ?? ""
        }
        let (link, created) = try await database.link(kind, accountID: try context.requireAccount(), contactID: contactID, assetID: assetID, value: value)
        return try JSONReply.make(JSONValue.object([kind.envelope: Self.body(kind, link)]), status: created ? .created : .ok)
    }

    func list(_ kind: ContactLinkKind, _ request: Request, _ context: AppRequestContext, contactID: Int64?) async throws -> Response {
        let page = try Page(request)
        let (links, total) = try await database.links(kind, accountID: try context.requireAccount(), contactID: contactID, page: page)
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
        let fields = try await Self.envelope("fieldValue", request)
        let (link, _) = try await database.link(.field, accountID: accountID, contactID: current.contactID, assetID: current.assetID, value: try Self.text(fields["value"], field: "fieldValue.value") ?? "")
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

    // MARK: - Deals

    func createDeal(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let deal = try Self.deal(from: try await Self.envelope("deal", request), current: nil)
        return try dealReply(try await database.createDeal(accountID: try context.requireAccount(), deal), status: .created)
    }

    func updateDeal(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let accountID = try context.requireAccount()
        let id = try pathID(context, what: "deal")
        let current = try await database.deal(accountID: accountID, id: id)
        let deal = try Self.deal(from: try await Self.envelope("deal", request), current: current)
        return try dealReply(try await database.updateDeal(accountID: accountID, id: id, deal))
    }

    func listDeals(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = try Page(request)
        let stage = (request.query("filters[stage]") ?? request.query("stage")).flatMap { Int64($0) }
        let (deals, total) = try await database.deals(accountID: try context.requireAccount(), stageID: stage, page: page)
        return try JSONReply.make(JSONValue.object(["deals": .array(deals.map(Self.body(of:))), "meta": .object(["total": .string(String(total))])]))
    }

    func dealReply(_ deal: Deal, status: HTTPResponse.Status = .ok) throws -> Response {
        try JSONReply.make(JSONValue.object(["deal": Self.body(of: deal)]), status: status)
    }

    /// Fields left out keep their current values (or defaults, for a new deal).
    static func deal(from fields: [String: JSONValue], current: Deal?) throws -> Deal {
        let title = try text(fields["title"], field: "deal.title") ?? current?.title ?? ""
        guard !title.trimmingCharacters(in: .whitespaces).isEmpty else { throw DomainError.invalid(field: "deal.title", message: "'deal.title' is required.") }
        let stage = try fields["stage"].map { try id($0, field: "deal.stage") } ?? current?.stageID
        guard let stage else { throw DomainError.invalid(field: "deal.stage", message: "'deal.stage' is required: the stage the deal sits in.") }
        let contact: Int64? = switch fields["contact"] {
        case .none: current?.contactID
        case .some(.null): nil
        case .some(let value): try id(value, field: "deal.contact")
        }
        guard let value = Int64(try text(fields["value"], field: "deal.value") ?? String(current?.value ?? 0)) else {
            throw DomainError.invalid(field: "deal.value", message: "'deal.value' is the amount in cents, a whole number.")
        }
        guard let status = Int(try text(fields["status"], field: "deal.status") ?? String(current?.status ?? 0)), (0...2).contains(status) else {
            throw DomainError.invalid(field: "deal.status", message: "'deal.status' is 0 (open), 1 (won) or 2 (lost).")
        }
        return Deal(
            title: title, description: try text(fields["description"], field: "deal.description") ?? current?.description ?? "", value: value,
            currency: try text(fields["currency"], field: "deal.currency") ?? current?.currency ?? "usd", contactID: contact, stageID: stage, status: status
        )
    }

    static func body(of deal: Deal) -> JSONValue {
        .object([
            "id": .string(String(deal.id)), "title": .string(deal.title), "description": .string(deal.description),
            "value": .string(String(deal.value)), "currency": .string(deal.currency),
            "contact": deal.contactID.map { .string(String($0)) } ?? .null, "stage": .string(String(deal.stageID)),
            "group": deal.groupID.map { .string(String($0)) } ?? .null, "status": .string(String(deal.status)),
            "cdate": .string(deal.createdAt), "udate": .string(deal.updatedAt),
        ])
    }

    // MARK: - Input helpers

    static func envelope(_ key: String, _ request: Request) async throws -> [String: JSONValue] {
        guard let fields = try await request.decodeJSON([String: JSONValue].self)[key]?.objectValue else {
            throw DomainError.invalid(field: key, message: "Send it as {\"\(key)\": {...}}.")
        }
        return fields
    }

    static func id(_ value: JSONValue?, field: String) throws -> Int64 {
        guard let value, let text = try text(value, field: field), let id = Int64(text), id > 0 else {
            throw DomainError.invalid(field: field, message: "'\(field)' must be an id.")
        }
        return id
    }

    /// A text field: strings as they are, numbers written out; nil when absent or null. Anything
    /// else, or a number too large to keep exactly, is refused rather than dropped.
    static func text(_ value: JSONValue?, field: String) throws -> String? {
        switch value {
        case .none, .some(.null): return nil
        case .some(.string(let text)): return text
        case .some(.number(let number)):
            if let text = JSONNumber.text(number) { return text }
        default: break
        }
        throw DomainError.invalid(field: field, message: "'\(field)' must be text or a number that can be kept exactly.")
    }

    static func listStatus(_ value: JSONValue) throws -> String {
        guard let status = try text(value, field: "contactList.status"), ["1", "2"].contains(status) else {
            throw DomainError.invalid(field: "contactList.status", message: "'contactList.status' is 1 (subscribed) or 2 (unsubscribed).")
        }
        return status
    }
}
