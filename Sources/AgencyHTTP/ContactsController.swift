import Foundation
import AgencyDomain
import AgencyStorage
import Hummingbird

/// `/api/3/contacts`, in ActiveCampaign API v3's shapes: `{"contact": {...}}`, ids as strings.
struct ContactsController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("contacts", use: create)
        group.get("contacts", use: list)
        group.get("contacts/:id", use: show)
        group.put("contacts/:id", use: update)
        group.delete("contacts/:id", use: delete)
        group.post("contact/sync", use: sync)
    }

    struct ContactFields: Decodable {
        var email: String?
        var firstName: String?
        var lastName: String?
        var phone: String?
    }

    struct Envelope: Decodable {
        var contact: ContactFields
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await request.decodeJSON(Envelope.self).contact
        let draft = try ContactDraft(email: fields.email, firstName: fields.firstName, lastName: fields.lastName, phone: fields.phone)
        let contact = try await database.createContact(accountID: try context.requireAccount(), draft)
        return JSONReply.make(bytes: ContactJSON.one(contact), status: .created)
    }

    @Sendable func sync(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await request.decodeJSON(Envelope.self).contact
        let draft = try ContactDraft(email: fields.email, firstName: fields.firstName, lastName: fields.lastName, phone: fields.phone)
        let (contact, created) = try await database.syncContact(accountID: try context.requireAccount(), draft)
        return JSONReply.make(bytes: ContactJSON.one(contact), status: created ? .created : .ok)
    }

    /// `?email=` or `?filters[email]=` narrows to one address, `?listid=` to a list's subscribers,
    /// `?search=` to emails and names that contain the text; `limit` / `offset` page. `status=-1`
    /// (any status) is what this list always gives; other contact statuses are not kept, and ignored.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let email = request.query("email") ?? request.query("filters[email]")
        let search = request.query("search")
        let page = try Page(request)
        let accountID = try context.requireAccount()
        let (contacts, total) = if let listID = request.query("listid").flatMap({ Int64($0) }) {
            try await database.contacts(accountID: accountID, subscribedTo: listID, page: page)
        } else {
            try await database.contacts(accountID: accountID, email: email, search: search, page: page)
        }
        return JSONReply.make(bytes: ContactJSON.list(contacts, total: total))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let contact = try await database.contact(accountID: try context.requireAccount(), id: try pathID(context, what: "Contact"))
        return JSONReply.make(bytes: ContactJSON.one(contact))
    }

    /// Fields left out of the body keep their values, as in v3.
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let accountID = try context.requireAccount()
        let id = try pathID(context, what: "Contact")
        let fields = try await request.decodeJSON(Envelope.self).contact
        let current = try await database.contact(accountID: accountID, id: id)
        if current.email == ContactErasure.placeholderEmail(contactID: id) {
            throw DomainError.conflict(code: "contact_erased", message: "Contact \(id) was erased: its personal data can never be written again.")
        }
        let draft = try ContactDraft(
            email: fields.email ?? current.email, firstName: fields.firstName ?? current.firstName,
            lastName: fields.lastName ?? current.lastName, phone: fields.phone ?? current.phone
        )
        let contact = try await database.updateContact(accountID: accountID, id: id, draft)
        return JSONReply.make(bytes: ContactJSON.one(contact))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await database.deleteContact(accountID: try context.requireAccount(), id: try pathID(context, what: "Contact"))
        return try JSONReply.make([String: String]())
    }
}

/// A v3 list: `{"<kind>": [...], "meta": {"total": "N"}}` (the total is a string in v3).
struct V3List<Item: Encodable>: Encodable {
    var key: String
    var items: [Item]
    var total: Int

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(items, forKey: Key(stringValue: key))
        try container.encode(["total": String(total)], forKey: Key(stringValue: "meta"))
    }
}
