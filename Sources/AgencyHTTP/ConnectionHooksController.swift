import AgencyAPI
import AgencyDomain
import AgencyStorage
import AgencyWorkers
import Foundation
import HTTPTypes
import Hummingbird

/// `POST /hooks/connections/{id}`: the remote tool's subscribe and unsubscribe events for a two-way
/// connection. No agency token: the request proves itself with the connection's inbound secret, as
/// `Authorization: Bearer <secret>` (Brevo's webhook `auth` of type bearer) or, for the webhook
/// provider, a `Signature` header made with it (`SyncSignature`). A replayed event changes nothing.
struct ConnectionHooksController {
    let database: AppDatabase
    let sync: SyncSettings

    static let bodyLimit = 64 * 1024

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("hooks/connections/:id", use: receive)
    }

    /// Every request that does not prove itself gets this same answer (status, code, message): an
    /// unknown id, an outbound-only connection, and a missing or wrong secret or signature cannot be
    /// told apart, so connection ids cannot be found without a secret.
    static let refusal = DomainError.unauthorized(
        hint: "Send the connection's inbound secret: 'Authorization: Bearer <secret>' (brevo) or a 'Signature' header made with it (webhook)."
    )

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        // Read first, so that a body too large is refused the same way whatever the id.
        let body = Array(try await request.bodyData(limit: Self.bodyLimit))
        guard let (connection, secret) = try await inboundSecret(context),
              Self.isAuthentic(request, body: body, secret: secret, provider: connection.provider)
        else { throw Self.refusal }
        guard connection.enabled else { return try JSONReply.make(InboundEventReply(result: InboundSyncResult.ignored.rawValue)) }
        let event = switch connection.provider {
        case .brevo: try InboundSyncEvent.brevo(body)
        case .webhook: try InboundSyncEvent.webhook(body)
        }
        guard let event else { return try JSONReply.make(InboundEventReply(result: InboundSyncResult.ignored.rawValue)) }
        let result = try await database.applyInboundSyncEvent(connection: connection, event, now: Date())
        return try JSONReply.make(InboundEventReply(result: result.rawValue))
    }

    /// The two-way connection the path names and its inbound secret; nil for an id that names none.
    private func inboundSecret(_ context: AppRequestContext) async throws -> (SyncConnection, String)? {
        guard let id = try? pathID(context, what: "Connection") else { return nil }
        do {
            let connection = try await database.connection(id: id)
            guard connection.direction == .twoWay,
                  let sealed = try await database.connectionSecrets(id: id).inboundSecret,
                  let secret = sync.cipher.open(sealed, binding: id)
            else { return nil }
            return (connection, String(decoding: secret, as: UTF8.self))
        } catch DomainError.notFound {
            return nil
        }
    }

    static func isAuthentic(_ request: Request, body: [UInt8], secret: String, provider: SyncProvider) -> Bool {
        switch provider {
        case .brevo:
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return false }
            return Secrets.constantTimeEquals(Array(header.dropFirst("Bearer ".count).utf8), Array(secret.utf8))
        case .webhook:
            guard let header = request.headers[.signature] else { return false }
            return SyncSignature.verify(header: header, secret: secret, body: body, now: Date())
        }
    }
}

extension HTTPField.Name {
    static let signature = HTTPField.Name("Signature")!
}
