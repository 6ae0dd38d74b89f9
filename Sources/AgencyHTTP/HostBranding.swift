import AgencyDomain
import AgencyStorage
import HTTPTypes
import Hummingbird

/// Which agency a request's `Host` belongs to. The host is trusted only when it is an active custom
/// domain found in the database; any other host, the service's own included, is served as the
/// service itself, and no value from the request is ever written into a page or a URL.
struct HostBranding: Sendable {
    let database: AppDatabase
    static let hostField = HTTPField.Name("Host")!

    /// The active custom domain the request was sent to, if any.
    func activeDomain(of request: Request) async throws -> CustomDomain? {
        // HTTP/1's Host header arrives as the authority; a request built in memory (the router tests)
        // carries it as a field next to a fixed authority.
        guard let host = HostName.fromHeader(request.headers[Self.hostField] ?? request.head.authority) else { return nil }
        return try await database.activeDomain(host: host)
    }

    /// The brand a page on this host shows: its agency's on an active custom domain, else the service's.
    func brand(of request: Request) async throws -> PageBrand {
        guard let domain = try await activeDomain(of: request) else { return .service }
        return PageBrand(try await database.branding(agencyID: domain.agencyID))
    }
}
