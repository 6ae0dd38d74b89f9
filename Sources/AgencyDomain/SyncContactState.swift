import Crypto
import Foundation

/// What the remote tool should hold for one contact, worked out from the account's data and the
/// connection's mapping. The outbox only records *that* a contact changed; what is sent is its state
/// when it is sent, so a delivery repeated after a crash sends the same thing again (idempotent) and
/// a later change supersedes an earlier one that was not yet sent (order per contact holds).
public struct SyncContactState: Equatable, Sendable {
    public var contactID: Int64
    /// The address now; an erased or deleted contact's is its undeliverable placeholder.
    public var email: String
    /// Erased (GDPR) or deleted: the remote gets DELETED in every mapped attribute (the phone empty), loses every
    /// mapped list, and is told not to mail the address (Brevo's `emailBlacklisted`).
    public var erased: Bool
    /// Remote attribute name → value.
    public var attributes: [String: String]
    /// Remote list → subscribed (true) or not (unsubscribed, or no longer on the list).
    public var lists: [String: Bool]

    public init(contactID: Int64, email: String, erased: Bool, attributes: [String: String], lists: [String: Bool]) {
        self.contactID = contactID
        self.email = email
        self.erased = erased
        self.attributes = attributes
        self.lists = lists
    }

    /// The account's side of a contact, as storage reads it.
    public struct Source: Sendable {
        public var email: String
        public var firstName: String
        public var lastName: String
        public var phone: String
        public var erased: Bool
        /// Custom field id → value.
        public var fieldValues: [Int64: String]
        /// List id → status (1 subscribed, 2 unsubscribed).
        public var listStatuses: [Int64: Int]

        public init(email: String, firstName: String, lastName: String, phone: String, erased: Bool, fieldValues: [Int64: String], listStatuses: [Int64: Int]) {
            self.email = email
            self.firstName = firstName
            self.lastName = lastName
            self.phone = phone
            self.erased = erased
            self.fieldValues = fieldValues
            self.listStatuses = listStatuses
        }
    }

    /// The state to send; `source` nil means the contact was deleted, which the remote learns as an erasure.
    public static func make(contactID: Int64, source: Source?, lists: [SyncListPair], fields: [SyncFieldPair]) -> SyncContactState {
        guard let source, !source.erased else {
            return SyncContactState(
                contactID: contactID, email: ContactErasure.placeholderEmail(contactID: contactID), erased: true,
                // A phone number cannot read DELETED (Brevo refuses it as SMS): it is emptied instead.
                attributes: Dictionary(fields.map { ($0.attribute, $0.field == "phone" ? "" : ContactErasure.deleted) }, uniquingKeysWith: { first, _ in first }),
                lists: Dictionary(lists.map { ($0.remoteList, false) }, uniquingKeysWith: { first, _ in first })
            )
        }
        var attributes: [String: String] = [:]
        for pair in fields {
            switch pair.field {
            case "first_name": attributes[pair.attribute] = source.firstName
            case "last_name": attributes[pair.attribute] = source.lastName
            case "phone": attributes[pair.attribute] = source.phone
            default: attributes[pair.attribute] = pair.customFieldID.flatMap { source.fieldValues[$0] } ?? ""
            }
        }
        var remote: [String: Bool] = [:]
        for pair in lists { remote[pair.remoteList] = source.listStatuses[pair.listID] == 1 }
        return SyncContactState(contactID: contactID, email: source.email, erased: false, attributes: attributes, lists: remote)
    }

    /// Whether there is anything to tell a remote that has never heard of the contact: a contact is
    /// created remotely once it is subscribed to a mapped list, as PEIQ's sync does on a confirmed subscription.
    public func worthSending(remoteEmail: String?) -> Bool {
        remoteEmail != nil || (!erased && lists.values.contains(true))
    }

    /// The state as canonical JSON: the same state always gives the same bytes.
    public var canonicalJSON: JSONValue {
        .object([
            "email": .string(email), "erased": .bool(erased),
            "attributes": .object(attributes.mapValues { .string($0) }), "lists": .object(lists.mapValues { .bool($0) }),
        ])
    }

    /// What the remote last acknowledged is kept as this digest; an unchanged state is not sent again.
    public var digest: [UInt8] {
        var bytes: [UInt8] = []
        canonicalJSON.appendCanonical(to: &bytes)
        return Array(SHA256.hash(data: bytes))
    }
}

/// One HTTP request to a remote tool, built without I/O.
public struct SyncRequest: Equatable, Sendable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: [UInt8]?

    public init(method: String, url: String, headers: [String: String], body: [UInt8]?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
