import AgencyAPI
import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird

/// `POST /v1/agency/token/rotate`: the agency, with its current token, gets a new one (shown once);
/// the old one ends at once or after `grace_seconds`. The agency's dashboard sessions end with it.
struct AgencyTokenController {
    let database: AppDatabase
    let settings: ServiceSettings

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("agency/token/rotate", use: rotate)
    }

    @Sendable func rotate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agencyID = try context.requireAgency()
        let body = try await request.bodyData()
        let grace = body.isEmpty ? GraceBody() : try Request.decodeJSON(GraceBody.self, from: body)
        let seconds = try Self.validatedGrace(grace.grace_seconds ?? 0)
        let token = Secrets.newToken(prefix: "agency")
        let end = try await database.rotateAgencyToken(
            agencyID: agencyID, newDigest: Secrets.digest(ofToken: token), grace: seconds, now: settings.clock()
        )
        return try JSONReply.make(TokenRotationReply(agency_id: agencyID, token: token, previous_token_expires_at: end), status: .created)
    }

    /// `TokenRotationRequest` as it arrives: a JSON number is a `Double`, so that 1.5 is refused as a
    /// field (422) rather than as a body that is not JSON.
    struct GraceBody: Decodable {
        var grace_seconds: Double?
    }

    static func validatedGrace(_ seconds: Double) throws -> TimeInterval {
        guard let whole = JSONNumber.exactInteger(seconds), whole >= 0, TimeInterval(whole) <= AppDatabase.maximumTokenGrace else {
            throw DomainError.invalid(field: "grace_seconds", message: "'grace_seconds' must be a whole number from 0 to \(Int(AppDatabase.maximumTokenGrace)) (30 days).")
        }
        return TimeInterval(whole)
    }
}
