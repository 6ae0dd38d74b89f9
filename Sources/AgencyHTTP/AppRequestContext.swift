import AgencyDomain
import Hummingbird
import NIOCore

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
    /// The socket's peer, which the sign-in throttle counts failures by; nil without a socket.
    var remoteAddress: SocketAddress?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The client as the sign-in throttle counts it.
    var clientAddress: ClientAddress { ClientAddress(remoteAddress) }

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
