import AgencyDomain

/// A remote list in a request: Brevo's numeric ids are accepted as numbers or strings.
public struct RemoteListName: Codable, Hashable, Sendable {
    public var value: String

    public init(_ value: String) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            value = String(number)
        } else {
            value = try container.decode(String.self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// One account list ↔ one remote list.
public struct ListPairBody: Codable, Sendable, Equatable {
    public var list_id: FlexibleID
    public var remote_list: RemoteListName

    public init(list_id: Int64, remote_list: String) {
        self.list_id = FlexibleID(list_id)
        self.remote_list = RemoteListName(remote_list)
    }
}

/// One account field → one remote attribute.
public struct FieldPairBody: Codable, Sendable, Equatable {
    public var field: String
    public var attribute: String

    public init(field: String, attribute: String) {
        self.field = field
        self.attribute = attribute
    }
}

/// Credentials in a request; never in a reply.
public struct ConnectionCredentialsBody: Codable, Sendable {
    public var api_key: String?
    public var secret: String?

    public init(api_key: String? = nil, secret: String? = nil) {
        self.api_key = api_key
        self.secret = secret
    }
}

/// `POST /v1/accounts/{id}/connections` and `PATCH …/connections/{cid}` (fields left out keep their values).
public struct ConnectionRequest: Codable, Sendable {
    public var name: String?
    public var provider: String?
    public var direction: String?
    /// Brevo's API base URL (default `https://api.brevo.com`).
    public var base_url: String?
    /// The webhook receiver's URL.
    public var url: String?
    public var credentials: ConnectionCredentialsBody?
    public var lists: [ListPairBody]?
    public var fields: [FieldPairBody]?
    public var interval_minutes: Int?
    public var daily_budget: Int?
    public var enabled: Bool?

    public init(
        name: String? = nil, provider: String? = nil, direction: String? = nil, base_url: String? = nil, url: String? = nil,
        credentials: ConnectionCredentialsBody? = nil, lists: [ListPairBody]? = nil, fields: [FieldPairBody]? = nil,
        interval_minutes: Int? = nil, daily_budget: Int? = nil, enabled: Bool? = nil
    ) {
        self.name = name
        self.provider = provider
        self.direction = direction
        self.base_url = base_url
        self.url = url
        self.credentials = credentials
        self.lists = lists
        self.fields = fields
        self.interval_minutes = interval_minutes
        self.daily_budget = daily_budget
        self.enabled = enabled
    }
}

/// A connection as the API shows it: never its credentials, only whether it has them.
public struct ConnectionBody: Codable, Sendable {
    public var id: Int64
    public var account_id: Int64
    public var name: String
    public var provider: String
    public var direction: String
    public var base_url: String?
    public var url: String?
    public var lists: [ListPairBody]
    public var fields: [FieldPairBody]
    public var interval_minutes: Int
    public var daily_budget: Int
    public var calls_today: Int
    public var pending_changes: Int
    public var enabled: Bool
    public var has_credentials: Bool
    /// Where the remote tool sends its events (two_way only).
    public var inbound_url: String?
    /// Shown once, in the reply that made the connection two-way.
    public var inbound_secret: String?
    public var paused_until: OrNull<String>
    public var last_error: OrNull<String>
    public var last_full_sync_at: OrNull<String>
    public var created_at: String
    public var updated_at: String

    public init(_ connection: SyncConnection, callsToday: Int, pendingChanges: Int, publicURL: String, inboundSecret: String? = nil) {
        id = connection.id
        account_id = connection.accountID
        name = connection.name
        provider = connection.provider.rawValue
        direction = connection.direction.rawValue
        base_url = connection.provider == .brevo ? connection.endpoint : nil
        url = connection.provider == .webhook ? connection.endpoint : nil
        lists = connection.lists.map { ListPairBody(list_id: $0.listID, remote_list: $0.remoteList) }
        fields = connection.fields.map { FieldPairBody(field: $0.field, attribute: $0.attribute) }
        interval_minutes = connection.intervalMinutes
        daily_budget = connection.dailyBudget
        calls_today = callsToday
        pending_changes = pendingChanges
        enabled = connection.enabled
        has_credentials = connection.hasCredentials
        inbound_url = connection.direction == .twoWay ? "\(publicURL)/hooks/connections/\(connection.id)" : nil
        inbound_secret = inboundSecret
        paused_until = OrNull(connection.pausedUntil)
        last_error = OrNull(connection.lastError)
        last_full_sync_at = OrNull(connection.lastFullSyncAt)
        created_at = connection.createdAt
        updated_at = connection.updatedAt
    }
}

public struct ConnectionList: Codable, Sendable {
    public var connections: [ConnectionBody]

    public init(connections: [ConnectionBody]) { self.connections = connections }
}

/// One contact's sync state (`GET …/connections/{cid}/contacts`).
public struct SyncContactBody: Codable, Sendable {
    public var contact_id: Int64
    public var email: OrNull<String>
    public var status: String
    /// The remote tool's own message, when failed.
    public var message: OrNull<String>
    public var updated_at: String

    public init(contact_id: Int64, email: String?, status: String, message: String?, updated_at: String) {
        self.contact_id = contact_id
        self.email = OrNull(email)
        self.status = status
        self.message = OrNull(message)
        self.updated_at = updated_at
    }
}

public struct SyncContactList: Codable, Sendable {
    public var contacts: [SyncContactBody]
    public var meta: ListMeta

    public init(contacts: [SyncContactBody], meta: ListMeta) {
        self.contacts = contacts
        self.meta = meta
    }
}

/// A full sync's summary.
public struct SyncRunBody: Codable, Sendable {
    public var id: Int64
    public var connection_id: Int64
    public var trigger: String
    public var started_at: String
    public var finished_at: OrNull<String>
    public var contacts: Int
    public var sent: Int
    public var updated: Int
    public var unchanged: Int
    public var failed: Int
    public var deferred: Int
    public var calls: Int

    public init(id: Int64, connection_id: Int64, trigger: String, started_at: String, finished_at: String?, contacts: Int, sent: Int, updated: Int, unchanged: Int, failed: Int, deferred: Int, calls: Int) {
        self.id = id
        self.connection_id = connection_id
        self.trigger = trigger
        self.started_at = started_at
        self.finished_at = OrNull(finished_at)
        self.contacts = contacts
        self.sent = sent
        self.updated = updated
        self.unchanged = unchanged
        self.failed = failed
        self.deferred = deferred
        self.calls = calls
    }
}

public struct SyncRunList: Codable, Sendable {
    public var syncs: [SyncRunBody]

    public init(syncs: [SyncRunBody]) { self.syncs = syncs }
}

/// What an inbound event did: `applied`, `duplicate` or `ignored`.
public struct InboundEventReply: Codable, Sendable {
    public var result: String

    public init(result: String) { self.result = result }
}
