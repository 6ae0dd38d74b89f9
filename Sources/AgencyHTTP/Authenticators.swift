import HTTPTypes
import Foundation
import AgencyDomain
import AgencyStorage
import Hummingbird

/// `/v1`: `Authorization: Bearer <agency token>`. The token is looked up by its SHA-256 digest.
struct AgencyAuthenticator: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { throw DomainError.unauthorized }
        let token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard let agencyID = try await database.agencyID(forTokenDigest: Secrets.digest(ofToken: token)) else {
            throw DomainError.unauthorized
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
        guard let token = request.headers[.apiToken], !token.isEmpty,
              let accountID = try await database.accountID(forTokenDigest: Secrets.digest(ofToken: token))
        else { throw DomainError.unauthorized }
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
