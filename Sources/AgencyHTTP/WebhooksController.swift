import AgencyDomain
import AgencyOutbound
import AgencyStorage
import AgencyWorkers
import Hummingbird

/// v3's `/webhooks`: `{"webhook": {"name", "url", "events", "sources"}}`, ids as strings, and
/// `/webhook/events` listing the events this service reports. Deliveries: `WebhookDeliverer`.
struct WebhooksController {
    let database: AppDatabase
    let outbound: OutboundClient

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("webhooks", use: create)
        group.get("webhooks", use: list)
        group.get("webhooks/:id", use: show)
        group.put("webhooks/:id", use: update)
        group.delete("webhooks/:id", use: delete)
        group.get("webhook/events", use: events)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let webhook = try await database.createWebhook(accountID: try context.requireAccount(), try await draft(request, current: nil))
        return try JSONReply.make(JSONValue.object(["webhook": Self.body(webhook)]), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (webhooks, total) = try await database.webhooks(accountID: try context.requireAccount(), page: try Page(request))
        return try JSONReply.make(JSONValue.object(["webhooks": .array(webhooks.map(Self.body)), "meta": .object(["total": .string(String(total))])]))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let webhook = try await database.webhook(accountID: try context.requireAccount(), id: try pathID(context, what: "Webhook"))
        return try JSONReply.make(JSONValue.object(["webhook": Self.body(webhook)]))
    }

    /// Fields left out keep their values, as in v3.
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let accountID = try context.requireAccount()
        let id = try pathID(context, what: "Webhook")
        let current = try await database.webhook(accountID: accountID, id: id)
        let webhook = try await database.updateWebhook(accountID: accountID, id: id, try await draft(request, current: current))
        return try JSONReply.make(JSONValue.object(["webhook": Self.body(webhook)]))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await database.deleteWebhook(accountID: try context.requireAccount(), id: try pathID(context, what: "Webhook"))
        return try JSONReply.make([String: String]())
    }

    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireAccount()
        return try JSONReply.make(JSONValue.object([
            "webhookEvents": .array(Webhook.events.map { .string($0) }), "meta": .object(["total": .string(String(Webhook.events.count))]),
        ]))
    }

    func draft(_ request: Request, current: Webhook?) async throws -> WebhookDraft {
        let fields = try await V3Input.envelope("webhook", request)
        func names(_ key: String) throws -> [String]? {
            guard let value = fields[key], value != .null else { return nil }
            guard let items = value.arrayValue else { throw DomainError.invalid(field: "webhook.\(key)", message: "'webhook.\(key)' is a list of names.") }
            return try items.enumerated().map { index, item in
                guard let name = item.stringValue else { throw DomainError.invalid(field: "webhook.\(key)[\(index)]", message: "'webhook.\(key)[\(index)]' is a name.") }
                return name
            }
        }
        let draft = try WebhookDraft(
            name: try V3Input.text(fields["name"], field: "webhook.name") ?? current?.name,
            url: try V3Input.text(fields["url"], field: "webhook.url") ?? current?.url,
            events: try names("events") ?? current?.events, sources: try names("sources") ?? current?.sources
        )
        // A URL that points into the host's network is refused when it is saved, naming the rule.
        if draft.url != current?.url { try await outbound.checkBeforeSaving(draft.url, field: "webhook.url") }
        return draft
    }

    static func body(_ webhook: Webhook) -> JSONValue {
        .object([
            "id": .string(String(webhook.id)), "name": .string(webhook.name), "url": .string(webhook.url), "listid": .string("0"),
            "events": .array(webhook.events.map { .string($0) }), "sources": .array(webhook.sources.map { .string($0) }),
            "cdate": .string(webhook.createdAt), "udate": .string(webhook.updatedAt),
        ])
    }
}
