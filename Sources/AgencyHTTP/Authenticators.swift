import HTTPTypes
import Foundation
import AgencyDomain
import AgencyStorage
import Hummingbird

/// `/v1`: `Authorization: Bearer <agency token>`. The token is looked up by its SHA-256 digest.
struct AgencyAuthenticator: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase
    /// The time a rotated-out token's grace period is measured against.
    var clock: @Sendable () -> Date = { Date() }

    /// A 401 says what was wrong (no token, the other API's kind, unknown here) without telling
    /// whether any agency or account exists.
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw DomainError.unauthorized(hint: "The agency API takes the agency token as 'Authorization: Bearer agency_…'.")
        }
        let token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        if token.hasPrefix("acct_") {
            throw DomainError.unauthorized(hint: "This is a per-account token (acct_…), which opens /api/3; the agency API (/v1) takes the agency token (agency_…).")
        }
        guard let agencyID = try await database.agencyID(forTokenDigest: Secrets.digest(ofToken: token), now: clock()) else {
            throw DomainError.unauthorized(hint: "This agency token is not known to this service. Was the agency created in another database? `agency agencies create` prints the file it used.")
        }
        var context = context
        context.agencyID = agencyID
        context.agencyToken = token
        return try await next(request, context)
    }
}

/// `/api/3`: `Api-Token: <account token>`, as ActiveCampaign's API v3 expects.
struct AccountAuthenticator: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.headers[.apiToken], !token.isEmpty else {
            throw DomainError.unauthorized(hint: "The per-account API takes an account token (acct_…) in the 'Api-Token' header.")
        }
        if token.hasPrefix("agency_") {
            throw DomainError.unauthorized(hint: "This is an agency token (agency_…), which opens /v1; /api/3 takes a per-account token (acct_…), from `agency account token ID` or a login.")
        }
        guard let accountID = try await database.accountID(forTokenDigest: Secrets.digest(ofToken: token)) else {
            throw DomainError.unauthorized(hint: "This account token is not known to this service.")
        }
        var context = context
        context.accountID = accountID
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    /// ActiveCampaign API v3's authentication header.
    static let apiToken = HTTPField.Name("Api-Token")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
