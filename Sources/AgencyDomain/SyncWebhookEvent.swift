import Crypto
import Foundation

/// The `webhook` provider's events: one JSON object per contact change, POSTed with a `Signature`
/// header (`SyncSignature`). `id` is unique per change and the same on every retry of it, so a
/// receiver that keeps the ids it has applied applies each change once.
public enum SyncWebhookEvent {
    /// `contact.updated`, or `contact.erased` for an erased or deleted contact.
    public static func body(eventID: String, connectionID: Int64, state: SyncContactState, previousEmail: String?, createdAt: String) -> [UInt8] {
        var contact: [String: JSONValue] = [
            "id": .string(String(state.contactID)), "email": .string(state.email),
            "attributes": .object(state.attributes.mapValues { .string($0) }),
            "lists": .object(state.lists.mapValues { .string($0 ? "subscribed" : "unsubscribed") }),
        ]
        if let previousEmail, previousEmail.lowercased() != state.email.lowercased() { contact["previous_email"] = .string(previousEmail) }
        let event: JSONValue = .object([
            "id": .string(eventID), "type": .string(state.erased ? "contact.erased" : "contact.updated"),
            "connection_id": .string(String(connectionID)), "created_at": .string(createdAt), "contact": .object(contact),
        ])
        return Array(event.canonicalText().utf8)
    }

    public static func request(url: String, secret: String, body: [UInt8], now: Date) -> SyncRequest {
        SyncRequest(
            method: "POST", url: url,
            headers: [
                "content-type": "application/json", "user-agent": "agency-snapshots-sync",
                "signature": SyncSignature.header(secret: secret, timestamp: Int(now.timeIntervalSince1970), body: body),
            ],
            body: body
        )
    }
}

/// A subscribe or unsubscribe the remote tool reports (two-way connections).
public struct InboundSyncEvent: Equatable, Sendable {
    /// What makes a replay recognisable: the event's own id, or the digest of its body.
    public var key: String
    public var email: String
    public var subscribed: Bool
    /// The remote lists it concerns; empty means every mapped list (a global unsubscribe).
    public var remoteLists: [String]

    public init(key: String, email: String, subscribed: Bool, remoteLists: [String]) {
        self.key = key
        self.email = email
        self.subscribed = subscribed
        self.remoteLists = remoteLists
    }

    /// Brevo's marketing webhook: `{"event": "unsubscribed" | "listAddition" …, "email", "list_id": [..]}`.
    /// A body sent twice is the same event; its digest is its key. Other events answer nil (ignored).
    public static func brevo(_ body: [UInt8]) throws -> InboundSyncEvent? {
        let object = try parseObject(body)
        guard let event = object["event"]?.stringValue else { throw DomainError.invalid(field: "event", message: "'event' is required.") }
        let subscribed: Bool
        switch event {
        case "unsubscribe", "unsubscribed": subscribed = false
        case "listAddition", "list_addition": subscribed = true
        default: return nil
        }
        guard let email = object["email"]?.stringValue, !email.isEmpty else { throw DomainError.invalid(field: "email", message: "'email' is required.") }
        let lists: [String] = switch object["list_id"] {
        case .array(let items): items.compactMap(listName)
        case .some(let single): listName(single).map { [$0] } ?? []
        case .none: []
        }
        let digest = SHA256.hash(data: Array(JSONValue.object(object).canonicalText().utf8)).map { String(format: "%02x", $0) }.joined()
        return InboundSyncEvent(key: "brevo:" + digest, email: email, subscribed: subscribed, remoteLists: lists)
    }

    /// Our own shape: `{"id", "type": "subscribe" | "unsubscribe", "email", "lists": [..]}`.
    public static func webhook(_ body: [UInt8]) throws -> InboundSyncEvent {
        let object = try parseObject(body)
        guard let id = object["id"]?.stringValue, !id.isEmpty, id.count <= 200 else { throw DomainError.invalid(field: "id", message: "'id' is required (at most 200 characters).") }
        guard let type = object["type"]?.stringValue, ["subscribe", "unsubscribe"].contains(type) else {
            throw DomainError.invalid(field: "type", message: "'type' is 'subscribe' or 'unsubscribe'.")
        }
        guard let email = object["email"]?.stringValue, !email.isEmpty else { throw DomainError.invalid(field: "email", message: "'email' is required.") }
        let lists = object["lists"]?.arrayValue?.compactMap(listName) ?? []
        return InboundSyncEvent(key: "webhook:" + id, email: email, subscribed: type == "subscribe", remoteLists: lists)
    }

    static func listName(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let number) where number.rounded() == number && abs(number) < 1e15: String(Int64(number))
        default: nil
        }
    }

    static func parseObject(_ body: [UInt8]) throws -> [String: JSONValue] {
        guard let text = String(validating: body, as: UTF8.self), let value = try? JSONValue.parse(text), let object = value.objectValue else {
            throw DomainError.malformed(message: "The request body is not a JSON object.")
        }
        return object
    }
}
