import Foundation
import AgencyAPI
import AgencyDomain
import AgencyStorage
import Hummingbird

/// `/api/3/sends`: send one email to a set of contacts. No SMTP yet: the outbox is the record,
/// and every recipient counts against a sandbox's send limit.
struct SendsController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("sends", use: create)
        group.get("sends", use: list)
        group.post("campaigns/:id/send", use: sendCampaign)
    }

    /// Sends a campaign to its lists' subscribers; a sandbox's send cap applies to every recipient.
    @Sendable func sendCampaign(_ request: Request, context: AppRequestContext) async throws -> Response {
        let send = try await database.sendCampaign(accountID: try context.requireAccount(), campaignID: try pathID(context, what: "campaign"))
        return try JSONReply.make(["send": SendBody(send)], status: .created)
    }

    struct Envelope: Decodable {
        struct Fields: Decodable {
            var subject: String?
            var html: String?
            var contacts: [FlexibleID]?
        }
        var send: Fields
    }

    struct SendBody: Encodable {
        var id: String
        var subject: String
        var recipients: String
        var cdate: String

        init(_ send: EmailSend) {
            id = String(send.id)
            subject = send.subject
            recipients = String(send.recipients)
            cdate = send.createdAt
        }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await request.decodeJSON(Envelope.self).send
        let subject = (fields.subject ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !subject.isEmpty else { throw DomainError.invalid(field: "send.subject", message: "A subject is required.") }
        guard let contacts = fields.contacts, !contacts.isEmpty else {
            throw DomainError.invalid(field: "send.contacts", message: "List at least one contact id to send to.")
        }
        let send = try await database.recordSend(
            accountID: try context.requireAccount(), subject: subject, html: fields.html ?? "", contactIDs: contacts.map(\.value)
        )
        return try JSONReply.make(["send": SendBody(send)], status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try Page(request)
        let (sends, total) = try await database.sends(accountID: try context.requireAccount(), page: page)
        return try JSONReply.make(V3List(key: "sends", items: sends.map(SendBody.init), total: total))
    }
}
