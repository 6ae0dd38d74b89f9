import Foundation

/// The external email tool on the other side of a connection.
public enum SyncProvider: String, CaseIterable, Sendable {
    /// Brevo's public API v3 (`api-key` header, `/v3/contacts`).
    case brevo
    /// Signed JSON events POSTed to a URL, for any other tool.
    case webhook

    /// Where a Brevo connection talks to when no base URL is given.
    public static let brevoDefaultBaseURL = "https://api.brevo.com"
}

/// Which way contacts flow. The account always leads; `two_way` also takes the remote tool's
/// subscribe and unsubscribe events in (`POST /hooks/connections/{id}`).
public enum SyncDirection: String, CaseIterable, Sendable {
    case outbound
    case twoWay = "two_way"
}

/// One account list paired with one remote list (a Brevo list id, or a name the webhook receiver knows).
public struct SyncListPair: Equatable, Sendable, Codable {
    public var listID: Int64
    public var remoteList: String

    public init(listID: Int64, remoteList: String) {
        self.listID = listID
        self.remoteList = remoteList
    }
}

/// One account field sent as one remote attribute. `field` is `first_name`, `last_name`, `phone`, or
/// the id of a custom field (as digits).
public struct SyncFieldPair: Equatable, Sendable, Codable {
    public static let standardFields = ["first_name", "last_name", "phone"]

    public var field: String
    public var attribute: String

    public init(field: String, attribute: String) {
        self.field = field
        self.attribute = attribute
    }

    /// The custom field's id, when `field` names one.
    public var customFieldID: Int64? { Self.standardFields.contains(field) ? nil : Int64(field) }
}

/// A connection as stored and shown. Its credentials are never part of it: they stay sealed in storage.
public struct SyncConnection: Equatable, Sendable {
    public var id: Int64
    public var accountID: Int64
    public var name: String
    public var provider: SyncProvider
    public var direction: SyncDirection
    /// Brevo's base URL, or the webhook receiver's URL.
    public var endpoint: String
    public var lists: [SyncListPair]
    public var fields: [SyncFieldPair]
    public var intervalMinutes: Int
    public var dailyBudget: Int
    public var enabled: Bool
    public var hasCredentials: Bool
    public var pausedUntil: String?
    public var lastError: String?
    public var lastFullSyncAt: String?
    public var createdAt: String
    public var updatedAt: String

    public init(
        id: Int64, accountID: Int64, name: String, provider: SyncProvider, direction: SyncDirection, endpoint: String,
        lists: [SyncListPair], fields: [SyncFieldPair], intervalMinutes: Int, dailyBudget: Int, enabled: Bool, hasCredentials: Bool,
        pausedUntil: String? = nil, lastError: String? = nil, lastFullSyncAt: String? = nil, createdAt: String = "", updatedAt: String = ""
    ) {
        self.id = id
        self.accountID = accountID
        self.name = name
        self.provider = provider
        self.direction = direction
        self.endpoint = endpoint
        self.lists = lists
        self.fields = fields
        self.intervalMinutes = intervalMinutes
        self.dailyBudget = dailyBudget
        self.enabled = enabled
        self.hasCredentials = hasCredentials
        self.pausedUntil = pausedUntil
        self.lastError = lastError
        self.lastFullSyncAt = lastFullSyncAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What a provider needs to be reached: Brevo's API key, or the webhook's signing secret.
public struct SyncCredentials: Equatable, Sendable, Codable {
    public var apiKey: String?
    public var secret: String?

    public init(apiKey: String? = nil, secret: String? = nil) {
        self.apiKey = apiKey
        self.secret = secret
    }

    /// Checked for the provider: Brevo needs `api_key`, a webhook `secret` (at least 16 characters,
    /// since it is an HMAC key).
    public static func validated(_ credentials: SyncCredentials, for provider: SyncProvider) throws -> SyncCredentials {
        switch provider {
        case .brevo:
            guard let key = credentials.apiKey?.trimmingCharacters(in: .whitespaces), !key.isEmpty, key.count <= 200 else {
                throw DomainError.invalid(field: "credentials.api_key", message: "A brevo connection's 'credentials.api_key' is required (at most 200 characters).")
            }
            try ControlCharacters.check(key, field: "credentials.api_key")
            return SyncCredentials(apiKey: key)
        case .webhook:
            guard let secret = credentials.secret, (16...200).contains(secret.count) else {
                throw DomainError.invalid(field: "credentials.secret", message: "A webhook connection's 'credentials.secret' is required: 16 to 200 characters.")
            }
            try ControlCharacters.check(secret, field: "credentials.secret")
            return SyncCredentials(secret: secret)
        }
    }
}

/// The writable settings of a connection, checked. Limits are tested on both sides.
public struct SyncConnectionDraft: Equatable, Sendable {
    public static let maxLists = 50
    public static let maxFields = 100
    public static let intervalRange = 0...10_080      // minutes; 0 means "only when asked", at most a week
    public static let budgetRange = 1...1_000_000      // API calls per UTC day
    public static let defaultInterval = 60
    public static let defaultBudget = 10_000

    public var name: String
    public var provider: SyncProvider
    public var direction: SyncDirection
    public var endpoint: String
    public var lists: [SyncListPair]
    public var fields: [SyncFieldPair]
    public var intervalMinutes: Int
    public var dailyBudget: Int

    public init(
        name: String?, provider: String?, direction: String?, endpoint: String?, lists: [SyncListPair]?, fields: [SyncFieldPair]?,
        intervalMinutes: Int?, dailyBudget: Int?
    ) throws {
        let name = (name ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200 else { throw DomainError.invalid(field: "name", message: "'name' is required (at most 200 characters).") }
        try ControlCharacters.check(name, field: "name")
        guard let provider = provider.flatMap(SyncProvider.init(rawValue:)) else {
            throw DomainError.invalid(field: "provider", message: "'provider' is one of: \(SyncProvider.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard let direction = SyncDirection(rawValue: direction ?? "outbound") else {
            throw DomainError.invalid(field: "direction", message: "'direction' is 'outbound' or 'two_way'.")
        }
        let endpoint = try Self.endpoint(endpoint, provider: provider)
        let lists = lists ?? []
        guard (1...Self.maxLists).contains(lists.count) else {
            throw DomainError.invalid(field: "lists", message: "'lists' maps 1 to \(Self.maxLists) account lists to remote lists.")
        }
        var localLists = Set<Int64>(), remoteLists = Set<String>()
        for (index, pair) in lists.enumerated() {
            guard pair.listID > 0 else { throw DomainError.invalid(field: "lists[\(index)].list_id", message: "'lists[\(index)].list_id' is a list id.") }
            let remote = pair.remoteList.trimmingCharacters(in: .whitespaces)
            guard !remote.isEmpty, remote.count <= 200 else {
                throw DomainError.invalid(field: "lists[\(index)].remote_list", message: "'lists[\(index)].remote_list' is required (at most 200 characters).")
            }
            try ControlCharacters.check(remote, field: "lists[\(index)].remote_list")
            if provider == .brevo, Int64(remote).map({ $0 > 0 }) != true {
                throw DomainError.invalid(field: "lists[\(index)].remote_list", message: "A Brevo list is named by its numeric id; '\(remote)' is not one.")
            }
            // One account list : one remote list, both ways (Contacthub's "one source : one node : one userdb").
            guard localLists.insert(pair.listID).inserted else {
                throw DomainError.duplicate(field: "lists[\(index)].list_id", message: "List \(pair.listID) is mapped twice; an account list maps to one remote list.")
            }
            guard remoteLists.insert(remote).inserted else {
                throw DomainError.duplicate(field: "lists[\(index)].remote_list", message: "Remote list '\(remote)' is mapped twice; a remote list takes one account list.")
            }
        }
        let fields = fields ?? Self.defaultFields(provider)
        guard fields.count <= Self.maxFields else { throw DomainError.invalid(field: "fields", message: "'fields' maps at most \(Self.maxFields) fields.") }
        var localFields = Set<String>(), attributes = Set<String>()
        for (index, pair) in fields.enumerated() {
            guard SyncFieldPair.standardFields.contains(pair.field) || (Int64(pair.field).map { $0 > 0 } ?? false) else {
                throw DomainError.invalid(
                    field: "fields[\(index)].field",
                    message: "'fields[\(index)].field' is first_name, last_name, phone or a custom field's id; '\(pair.field)' is none of these."
                )
            }
            guard !pair.attribute.isEmpty, pair.attribute.count <= 100, !ControlCharacters.contains(pair.attribute) else {
                throw DomainError.invalid(field: "fields[\(index)].attribute", message: "'fields[\(index)].attribute' is required (at most 100 characters).")
            }
            if pair.attribute.uppercased() == "EMAIL" {
                throw DomainError.invalid(field: "fields[\(index)].attribute", message: "The email address is always sent; it cannot be mapped as an attribute.")
            }
            guard localFields.insert(pair.field).inserted else {
                throw DomainError.duplicate(field: "fields[\(index)].field", message: "Field '\(pair.field)' is mapped twice.")
            }
            guard attributes.insert(pair.attribute).inserted else {
                throw DomainError.duplicate(field: "fields[\(index)].attribute", message: "Attribute '\(pair.attribute)' is mapped twice.")
            }
        }
        let interval = intervalMinutes ?? Self.defaultInterval
        guard Self.intervalRange.contains(interval) else {
            throw DomainError.invalid(field: "interval_minutes", message: "'interval_minutes' is 0 (only when asked) to \(Self.intervalRange.upperBound).")
        }
        let budget = dailyBudget ?? Self.defaultBudget
        guard Self.budgetRange.contains(budget) else {
            throw DomainError.invalid(field: "daily_budget", message: "'daily_budget' is \(Self.budgetRange.lowerBound) to \(Self.budgetRange.upperBound) API calls a day.")
        }
        self.name = name
        self.provider = provider
        self.direction = direction
        self.endpoint = endpoint
        // In list order, as storage gives them back: two drafts with the same pairs are equal.
        self.lists = lists.map { SyncListPair(listID: $0.listID, remoteList: $0.remoteList.trimmingCharacters(in: .whitespaces)) }.sorted { $0.listID < $1.listID }
        self.fields = fields
        self.intervalMinutes = interval
        self.dailyBudget = budget
    }

    /// Flexmail's default: name and first name go with the address unless told otherwise.
    public static func defaultFields(_ provider: SyncProvider) -> [SyncFieldPair] {
        switch provider {
        case .brevo: [SyncFieldPair(field: "first_name", attribute: "FIRSTNAME"), SyncFieldPair(field: "last_name", attribute: "LASTNAME")]
        case .webhook: [SyncFieldPair(field: "first_name", attribute: "first_name"), SyncFieldPair(field: "last_name", attribute: "last_name")]
        }
    }

    /// The mapping a request asks for, with the names added: first and last name go to their default
    /// attributes unless the request maps them elsewhere or leaves one out with an empty attribute
    /// (`{"field": "last_name", "attribute": ""}`); mapping a custom field adds it to what is sent. An
    /// empty list sends the address alone. The names go after the request's pairs, so that an error
    /// about `fields[i]` names the pair the request has at `i`. The one place the default is applied:
    /// to a mapping given in a request, never to a stored one.
    public static func requestedFields(_ pairs: [SyncFieldPair], provider: SyncProvider) -> [SyncFieldPair] {
        guard !pairs.isEmpty else { return [] }
        var fields = pairs
        for name in defaultFields(provider) where !pairs.contains(where: { $0.field == name.field || $0.attribute == name.attribute }) {
            fields.append(name)
        }
        return fields.filter { !($0.attribute.isEmpty && ["first_name", "last_name"].contains($0.field)) }
    }

    /// An http(s) URL without credentials in it. Brevo's defaults to its public API.
    static func endpoint(_ value: String?, provider: SyncProvider) throws -> String {
        let field = provider == .brevo ? "base_url" : "url"
        var text = (value ?? (provider == .brevo ? SyncProvider.brevoDefaultBaseURL : "")).trimmingCharacters(in: .whitespaces)
        guard let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host?.isEmpty == false,
              parsed.user == nil, parsed.password == nil, text.count <= 2_000, !ControlCharacters.contains(text)
        else {
            throw DomainError.invalid(field: field, message: "'\(field)' must be an http or https URL without a user or password in it.")
        }
        // Brevo's paths are appended to the base URL: a query or fragment in it would pick another path.
        if provider == .brevo, parsed.query != nil || parsed.fragment != nil || text.contains("?") || text.contains("#") {
            throw DomainError.invalid(
                field: field, message: "'base_url' is a scheme, a host and optionally a port and a path prefix, without a query (?) or fragment (#)."
            )
        }
        if provider == .brevo, text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
