import AgencyDomain
import AgencyStorage
import Hummingbird

/// Contacts in automations (`/contactAutomations`, v3's shapes) and campaign reports: events posted
/// by the email tool (`/campaigns/{id}/events`, an extension of v3) and `/campaigns/{id}/links`.
/// The counters themselves are in the campaigns' and automations' own replies.
struct ReportsController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("contactAutomations", use: enrol)
        group.get("contactAutomations", use: list)
        group.get("contactAutomations/:id", use: show)
        group.delete("contactAutomations/:id", use: end)
        group.get("contacts/:id/contactAutomations", use: listOfContact)
        group.post("campaigns/:id/events", use: event)
        group.get("campaigns/:id/links", use: links)
    }

    @Sendable func enrol(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await V3Input.envelope("contactAutomation", request)
        let contactID = try V3Input.id(fields["contact"], field: "contactAutomation.contact")
        let automationID = try V3Input.id(fields["automation"], field: "contactAutomation.automation")
        let (run, created) = try await database.enrol(accountID: try context.requireAccount(), contactID: contactID, automationID: automationID)
        return try JSONReply.make(JSONValue.object(["contactAutomation": Self.body(run)]), status: created ? .created : .ok)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(request, context, contactID: nil)
    }

    @Sendable func listOfContact(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(request, context, contactID: try pathID(context, what: "Contact"))
    }

    func page(_ request: Request, _ context: AppRequestContext, contactID: Int64?) async throws -> Response {
        let (runs, total) = try await database.contactAutomations(accountID: try context.requireAccount(), contactID: contactID, page: try Page(request))
        return try JSONReply.make(JSONValue.object(["contactAutomations": .array(runs.map(Self.body)), "meta": .object(["total": .string(String(total))])]))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let run = try await database.contactAutomation(accountID: try context.requireAccount(), id: try pathID(context, what: "contactAutomation"))
        return try JSONReply.make(JSONValue.object(["contactAutomation": Self.body(run)]))
    }

    @Sendable func end(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await database.endContactAutomation(accountID: try context.requireAccount(), id: try pathID(context, what: "contactAutomation"))
        return try JSONReply.make([String: String]())
    }

    /// `{"event": {"type": "open" | "click" | "unsubscribe" | "hard_bounce" | "soft_bounce", "contact": id, "link": url}}`;
    /// answers the campaign's counters.
    @Sendable func event(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await V3Input.envelope("event", request)
        let typeName = try V3Input.text(fields["type"], field: "event.type") ?? ""
        guard let type = CampaignEventType(rawValue: typeName) else {
            throw DomainError.invalid(field: "event.type", message: "'event.type' is one of: \(CampaignEventType.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let contactID = try fields["contact"].flatMap { $0 == .null ? nil : try V3Input.id($0, field: "event.contact") }
        let link = try V3Input.text(fields["link"], field: "event.link")
        if type == .click, link?.isEmpty ?? true {
            throw DomainError.invalid(field: "event.link", message: "A click names the 'event.link' clicked.")
        }
        let report = try await database.recordCampaignEvent(
            accountID: try context.requireAccount(), campaignID: try pathID(context, what: "campaign"), type: type, contactID: contactID, link: link
        )
        return try JSONReply.make(JSONValue.object(["report": Self.counters(report)]), status: .created)
    }

    @Sendable func links(_ request: Request, context: AppRequestContext) async throws -> Response {
        let campaignID = try pathID(context, what: "campaign")
        let links = try await database.campaignLinks(accountID: try context.requireAccount(), campaignID: campaignID)
        return try JSONReply.make(JSONValue.object(["links": .array(links.enumerated().map { index, link in
            .object([
                "id": .string(String(index + 1)), "campaignid": .string(String(campaignID)), "link": .string(link.url), "name": .string(""),
                "tracked": .string("1"), "linkclicks": .string(String(link.clicks)), "uniquelinkclicks": .string(String(link.uniqueClicks)),
            ])
        })]))
    }

    static func body(_ run: ContactAutomation) -> JSONValue {
        .object([
            "id": .string(String(run.id)), "contact": .string(String(run.contactID)), "automation": .string(String(run.automationID)),
            "seriesid": .string(String(run.automationID)), "status": .string(String(run.status)), "adddate": .string(run.addedAt),
            "remdate": run.removedAt.map { .string($0) } ?? .null,
        ])
    }

    /// v3 writes counters as strings.
    static func counters(_ report: CampaignReport) -> JSONValue {
        .object(report.counters.mapValues { .string(String($0)) })
    }
}
