import AgencyAPI
import AgencyDomain
import AgencyStorage
import Hummingbird

/// The agency API for custom domains: claim one, prove it over DNS, list, remove.
struct DomainsController {
    let database: AppDatabase
    let verifier: DomainVerifier

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("agency/domains", use: list)
        group.post("agency/domains", use: add)
        group.get("agency/domains/:id", use: show)
        group.delete("agency/domains/:id", use: remove)
        group.post("agency/domains/:id/verify", use: verify)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONReply.make(DomainList(domains: try await database.domains(agencyID: try context.requireAgency()).map(DomainBody.init)))
    }

    /// A new claim, pending until verified; a host any agency holds already is 409 `domain_taken`.
    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agencyID = try context.requireAgency()
        let host = try HostName.validated(try await request.decodeJSON(DomainRequest.self).host)
        let domain = try await database.addDomain(agencyID: agencyID, host: host, token: DomainVerification.newToken())
        return try JSONReply.make(DomainBody(domain), status: .created)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONReply.make(DomainBody(try await database.domain(id: try pathID(context, what: "Domain"), agencyID: try context.requireAgency())))
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await database.removeDomain(id: try pathID(context, what: "Domain"), agencyID: try context.requireAgency())
        return Response(status: .noContent)
    }

    /// Reads the TXT record now; 200 with the domain active, or 422 saying what was found.
    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> Response {
        let domain = try await verifier.verify(domainID: try pathID(context, what: "Domain"), agencyID: try context.requireAgency())
        return try JSONReply.make(DomainBody(domain))
    }
}
