import AgencyDomain
import Hummingbird

/// What a request carries between middleware and handlers: who it is acting for.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AgencyAuthenticator` on `/v1` routes.
    public var agencyID: Int64?
    /// The agency token itself, kept for this request only: it keys sealed idempotent replies.
    var agencyToken: String?
    /// Set by `AccountAuthenticator` on `/api/3` routes.
    public var accountID: Int64?
    /// Set by `DashboardSessionMiddleware` on the dashboard's signed-in pages.
    var dashboardSession: SignedInSession?

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// The agency a `/v1` handler acts for; only reachable behind the authenticator.
    func requireAgency() throws -> Int64 {
        guard let agencyID else { throw DomainError.unauthorized() }
        return agencyID
    }

    /// The account an `/api/3` handler acts in; only reachable behind the authenticator.
    func requireAccount() throws -> Int64 {
        guard let accountID else { throw DomainError.unauthorized() }
        return accountID
    }
}
