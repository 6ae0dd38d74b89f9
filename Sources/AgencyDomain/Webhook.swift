import Foundation

/// A webhook (v3's shape): where to POST which events, from which sources.
public struct Webhook: Equatable, Sendable {
    /// The events this service reports; v3 has more (deals, SMS), which it does not keep.
    public static let events = ["subscribe", "unsubscribe", "update", "contact_tag_added", "contact_tag_removed", "list_add", "sent", "open", "click", "bounce"]
    public static let sources = ["public", "admin", "api", "system"]

    public var id: Int64
    public var name: String
    public var url: String
    public var events: [String]
    public var sources: [String]
    public var createdAt: String
    public var updatedAt: String

    public init(id: Int64, name: String, url: String, events: [String], sources: [String], createdAt: String, updatedAt: String) {
        self.id = id
        self.name = name
        self.url = url
        self.events = events
        self.sources = sources
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A webhook's writable fields, checked: an http(s) URL, known events, known sources.
public struct WebhookDraft: Equatable, Sendable {
    public var name: String
    public var url: String
    public var events: [String]
    public var sources: [String]

    public init(name: String?, url: String?, events: [String]?, sources: [String]?) throws {
        let name = (name ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw DomainError.invalid(field: "webhook.name", message: "'webhook.name' is required.") }
        let url = (url ?? "").trimmingCharacters(in: .whitespaces)
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host?.isEmpty == false else {
            throw DomainError.invalid(field: "webhook.url", message: "'webhook.url' must be an http or https URL.")
        }
        let events = events ?? []
        guard !events.isEmpty else { throw DomainError.invalid(field: "webhook.events", message: "'webhook.events' names at least one event.") }
        for (index, event) in events.enumerated() where !Webhook.events.contains(event) {
            throw DomainError.invalid(field: "webhook.events[\(index)]", message: "'\(event)' is not an event this service reports; it reports: \(Webhook.events.joined(separator: ", ")).")
        }
        let sources = sources ?? Webhook.sources
        for (index, source) in sources.enumerated() where !Webhook.sources.contains(source) {
            throw DomainError.invalid(field: "webhook.sources[\(index)]", message: "'\(source)' is not a source; sources are: \(Webhook.sources.joined(separator: ", ")).")
        }
        for (field, value) in [("name", name), ("url", url)] { try ControlCharacters.check(value, field: "webhook.\(field)") }
        self.name = name
        self.url = url
        var seen = Set<String>()
        self.events = events.filter { seen.insert($0).inserted }  // a repeated event means it once
        self.sources = sources
    }
}

/// How long to wait before the next try of a delivery that failed `attempts` times, and when to stop.
public enum WebhookRetry {
    public static let maxAttempts = 8

    /// 1 s, 2 s, 4 s … doubling, at most an hour.
    public static func delay(afterAttempts attempts: Int) -> TimeInterval {
        min(3_600, pow(2, Double(max(attempts - 1, 0))))
    }
}
