import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird

/// `/deals`, in v3's shapes: a deal sits in a pipeline's stage and may belong to a contact.
struct DealsController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("deals") { request, context in try await createDeal(request, context) }
        group.get("deals") { request, context in try await listDeals(request, context) }
        group.get("deals/:id") { _, context in try dealReply(try await database.deal(accountID: try context.requireAccount(), id: try pathID(context, what: "deal"))) }
        group.put("deals/:id") { request, context in try await updateDeal(request, context) }
        group.delete("deals/:id") { _, context in
            try await database.deleteDeal(accountID: try context.requireAccount(), id: try pathID(context, what: "deal"))
            return try JSONReply.make([String: String]())
        }
    }

    func createDeal(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let deal = try Self.deal(from: try await V3Input.envelope("deal", request), current: nil)
        return try dealReply(try await database.createDeal(accountID: try context.requireAccount(), deal), status: .created)
    }

    func updateDeal(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let accountID = try context.requireAccount()
        let id = try pathID(context, what: "deal")
        let current = try await database.deal(accountID: accountID, id: id)
        let deal = try Self.deal(from: try await V3Input.envelope("deal", request), current: current)
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
        let title = try V3Input.text(fields["title"], field: "deal.title") ?? current?.title ?? ""
        guard !title.trimmingCharacters(in: .whitespaces).isEmpty else { throw DomainError.invalid(field: "deal.title", message: "'deal.title' is required.") }
        let stage = try fields["stage"].map { try V3Input.id($0, field: "deal.stage") } ?? current?.stageID
        guard let stage else { throw DomainError.invalid(field: "deal.stage", message: "'deal.stage' is required: the stage the deal sits in.") }
        let contact: Int64? = switch fields["contact"] {
        case .none: current?.contactID
        case .some(.null): nil
        case .some(let value): try V3Input.id(value, field: "deal.contact")
        }
        guard let value = Int64(try V3Input.text(fields["value"], field: "deal.value") ?? String(current?.value ?? 0)) else {
            throw DomainError.invalid(field: "deal.value", message: "'deal.value' is the amount in cents, a whole number.")
        }
        guard let status = Int(try V3Input.text(fields["status"], field: "deal.status") ?? String(current?.status ?? 0)), (0...2).contains(status) else {
            throw DomainError.invalid(field: "deal.status", message: "'deal.status' is 0 (open), 1 (won) or 2 (lost).")
        }
        return Deal(
            title: title, description: try V3Input.text(fields["description"], field: "deal.description") ?? current?.description ?? "", value: value,
            currency: try V3Input.text(fields["currency"], field: "deal.currency") ?? current?.currency ?? "usd", contactID: contact, stageID: stage, status: status
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
}
