import AgencyAPI
import AgencyDomain
import AgencyStorage
import AgencyWorkers
import Foundation
import Hummingbird

/// The agency API for contact sync: an account's connections to external email tools, their
/// per-contact failures, "sync now" and its summaries. Deliveries: `ContactSyncWorker`.
struct ConnectionsController {
    let database: AppDatabase
    let settings: ServiceSettings
    let sync: SyncSettings
    let engine: ContactSyncEngine

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("accounts/:id/connections", use: create)
        group.get("accounts/:id/connections", use: list)
        group.get("accounts/:id/connections/:cid", use: show)
        group.patch("accounts/:id/connections/:cid", use: update)
        group.delete("accounts/:id/connections/:cid", use: delete)
        group.get("accounts/:id/connections/:cid/contacts", use: contacts)
        group.post("accounts/:id/connections/:cid/sync", use: syncNow)
        group.get("accounts/:id/connections/:cid/syncs", use: syncs)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agencyID = try context.requireAgency()
        let accountID = try pathID(context, what: "Account")
        let body = try await request.decodeJSON(ConnectionRequest.self)
        let draft = try SyncConnectionDraft(
            name: body.name, provider: body.provider, direction: body.direction, endpoint: body.provider == SyncProvider.brevo.rawValue ? body.base_url : body.url,
            lists: body.lists.map(Self.lists), fields: body.fields.map { Self.fields($0, provider: body.provider) }, intervalMinutes: body.interval_minutes,
            dailyBudget: body.daily_budget
        )
        let credentials = try body.credentials.map { try SyncCredentials.validated(Self.credentials($0), for: draft.provider) }
        // Owner first: another agency learns nothing, not even whether the remote accepts the key.
        _ = try await database.account(id: accountID, agencyID: agencyID)
        try await sync.outbound.checkBeforeSaving(draft.endpoint, field: Self.endpointField(draft.provider))
        if let credentials {
            try await engine.checkRemoteAttributes(provider: draft.provider, endpoint: draft.endpoint, credentials: credentials, fields: draft.fields)
        }
        let inboundSecret = draft.direction == .twoWay ? Secrets.newToken(prefix: "whsec") : nil
        let connection = try await database.createConnection(
            accountID: accountID, agencyID: agencyID, draft: draft,
            sealCredentials: credentials.map(sealer), sealInboundSecret: inboundSecret.map(sealer), enabled: body.enabled ?? (credentials != nil)
        )
        return try JSONReply.make(try await reply(connection, inboundSecret: inboundSecret), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let connections = try await database.connections(accountID: try pathID(context, what: "Account"), agencyID: try context.requireAgency())
        var bodies: [ConnectionBody] = []
        for connection in connections { bodies.append(try await reply(connection)) }
        return try JSONReply.make(ConnectionList(connections: bodies))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONReply.make(try await reply(try await connection(context)))
    }

    /// Fields left out keep their values. Credentials, URL and list mapping change only while the
    /// connection is disabled (409 otherwise); a new field mapping is checked against the remote tool.
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agencyID = try context.requireAgency()
        let current = try await connection(context)
        let body = try await request.decodeJSON(ConnectionRequest.self)
        if let provider = body.provider, provider != current.provider.rawValue {
            throw DomainError.invalid(field: "provider", message: "A connection's provider cannot change; create another connection.")
        }
        let endpoint = current.provider == .brevo ? body.base_url : body.url
        let draft = try SyncConnectionDraft(
            name: body.name ?? current.name, provider: current.provider.rawValue, direction: body.direction ?? current.direction.rawValue,
            endpoint: endpoint ?? current.endpoint, lists: body.lists.map(Self.lists) ?? current.lists, fields: body.fields.map { Self.fields($0, provider: current.provider.rawValue) } ?? current.fields,
            intervalMinutes: body.interval_minutes ?? current.intervalMinutes, dailyBudget: body.daily_budget ?? current.dailyBudget
        )
        let credentials = try body.credentials.map { try SyncCredentials.validated(Self.credentials($0), for: current.provider) }
        if current.enabled, credentials != nil || draft.lists != current.lists || draft.endpoint != current.endpoint {
            throw DomainError.conflict(
                code: "connection_enabled",
                message: "Connection \(current.id) is enabled: disable it first (PATCH {\"enabled\": false}), then change its credentials, URL or list mapping."
            )
        }
        if draft.endpoint != current.endpoint {
            // The stored key or secret never goes to a URL it was not given for.
            guard credentials != nil else {
                throw DomainError.conflict(
                    code: "credentials_required",
                    message: "Changing '\(Self.endpointField(current.provider))' needs the connection's credentials again in the same request; the stored ones are never sent to a new URL."
                )
            }
            try await sync.outbound.checkBeforeSaving(draft.endpoint, field: Self.endpointField(current.provider))
        }
        if credentials != nil || draft.fields != current.fields {
            // The credentials that will be used: the new ones, or the stored ones (only ever for the stored URL).
            let stored = try await database.connectionSecrets(id: current.id).credentials.flatMap { sync.cipher.openCredentials($0, binding: current.id) }
            if let using = credentials ?? stored {
                try await engine.checkRemoteAttributes(provider: current.provider, endpoint: draft.endpoint, credentials: using, fields: draft.fields)
            }
        }
        let becomesTwoWay = draft.direction == .twoWay && current.direction != .twoWay
        let inboundSecret = becomesTwoWay ? Secrets.newToken(prefix: "whsec") : nil
        let updated = try await database.updateConnection(
            id: current.id, accountID: current.accountID, agencyID: agencyID,
            SyncConnectionChange(draft: draft, sealCredentials: credentials.map(sealer), sealInboundSecret: inboundSecret.map(sealer), enabled: body.enabled)
        )
        return try JSONReply.make(try await reply(updated, inboundSecret: inboundSecret))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let connection = try await connection(context)
        try await database.deleteConnection(id: connection.id, accountID: connection.accountID, agencyID: try context.requireAgency())
        return Response(status: .noContent)
    }

    /// `?status=failed` lists the contacts whose last delivery the remote refused, with its message.
    @Sendable func contacts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let connection = try await connection(context)
        let status = request.query("status")
        if let status, !["ok", "failed"].contains(status) {
            throw DomainError.invalid(field: "status", message: "'status' is 'ok' or 'failed'.")
        }
        let page = try Page(request)
        let (items, total) = try await database.syncContactStatuses(
            connectionID: connection.id, accountID: connection.accountID, agencyID: try context.requireAgency(), status: status, page: page
        )
        return try JSONReply.make(SyncContactList(
            contacts: items.map { SyncContactBody(contact_id: $0.contactID, email: $0.email, status: $0.status, message: $0.message, updated_at: $0.updatedAt) },
            meta: ListMeta(total: total, page: page)
        ))
    }

    /// "Sync now": a full reconciliation, answered with its summary.
    @Sendable func syncNow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let connection = try await connection(context)
        let summary = try await engine.fullSync(connection: connection, trigger: "manual")
        return try JSONReply.make(Self.body(summary), status: .created)
    }

    @Sendable func syncs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let connection = try await connection(context)
        let runs = try await database.syncRuns(connectionID: connection.id, accountID: connection.accountID, agencyID: try context.requireAgency())
        return try JSONReply.make(SyncRunList(syncs: runs.map(Self.body)))
    }

    // MARK: - Helpers

    /// Seals credentials for the connection id storage hands out (inside its transaction).
    func sealer(_ credentials: SyncCredentials) -> @Sendable (Int64) throws -> [UInt8] {
        let cipher = sync.cipher
        return { id in try cipher.seal(credentials, binding: id) }
    }

    /// Seals an inbound secret the same way.
    func sealer(_ secret: String) -> @Sendable (Int64) throws -> [UInt8] {
        let cipher = sync.cipher
        return { id in try cipher.seal(Array(secret.utf8), binding: id) }
    }

    func connection(_ context: AppRequestContext) async throws -> SyncConnection {
        try await database.connection(
            id: try pathID(context, "cid", what: "Connection"), accountID: try pathID(context, what: "Account"), agencyID: try context.requireAgency()
        )
    }

    func reply(_ connection: SyncConnection, inboundSecret: String? = nil) async throws -> ConnectionBody {
        ConnectionBody(
            connection, callsToday: try await database.syncCallsUsed(connectionID: connection.id, on: Date()),
            pendingChanges: try await database.pendingSyncChanges(connectionID: connection.id), publicURL: settings.publicURL, inboundSecret: inboundSecret
        )
    }

    /// The request field a provider's URL comes from.
    static func endpointField(_ provider: SyncProvider) -> String {
        provider == .brevo ? "base_url" : "url"
    }

    static func lists(_ pairs: [ListPairBody]) -> [SyncListPair] {
        pairs.map { SyncListPair(listID: $0.list_id.value, remoteList: $0.remote_list.value) }
    }

    /// The mapping as asked, with the names' defaults (`SyncConnectionDraft.requestedFields`).
    static func fields(_ pairs: [FieldPairBody], provider: String?) -> [SyncFieldPair] {
        let asked = pairs.map { SyncFieldPair(field: $0.field, attribute: $0.attribute) }
        guard let provider = provider.flatMap(SyncProvider.init(rawValue:)) else { return asked }
        return SyncConnectionDraft.requestedFields(asked, provider: provider)
    }

    static func credentials(_ body: ConnectionCredentialsBody) -> SyncCredentials {
        SyncCredentials(apiKey: body.api_key, secret: body.secret)
    }

    static func body(_ run: SyncRunSummary) -> SyncRunBody {
        SyncRunBody(
            id: run.id, connection_id: run.connectionID, trigger: run.trigger, started_at: run.startedAt, finished_at: run.finishedAt, contacts: run.contacts,
            sent: run.sent, updated: run.updated, unchanged: run.unchanged, failed: run.failed, deferred: run.deferred, calls: run.calls
        )
    }
}
