import AgencyStorage
import Foundation

/// How the service presents itself and hashes passwords.
public struct ServiceSettings: Sendable {
    /// The address people and scripts reach the service at, e.g. `https://snapshots.example.com`.
    public var publicURL: String
    /// bcrypt cost factor; 12 takes ~0.23 s per hash on the reference machine.
    public var bcryptCost: UInt8
    /// Throttling of failed sign-ins and the bound on waiting password work.
    public var signIn: SignInLimits
    /// How long a dashboard session may go unused before it ends (the 8-hour limit from sign-in stays).
    public var sessionIdleTimeout: TimeInterval
    /// The time tokens' grace periods and sessions' idle timeouts are measured against; tests set it.
    public var clock: @Sendable () -> Date
    /// The DNS resolver that custom domains' TXT records are read from (`host:port`); nil: the
    /// first nameserver of /etc/resolv.conf.
    public var dnsResolver: String?

    public init(
        publicURL: String, bcryptCost: UInt8 = 12, signIn: SignInLimits = SignInLimits(),
        sessionIdleTimeout: TimeInterval = AppDatabase.dashboardSessionIdleTimeout, dnsResolver: String? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.bcryptCost = bcryptCost
        self.signIn = signIn
        self.sessionIdleTimeout = sessionIdleTimeout
        self.dnsResolver = dnsResolver
        self.clock = clock
    }

    /// Whether `--dns-resolver` names a resolver the service can ask: an IP address, optionally with a port.
    public static func isResolverAddress(_ text: String) -> Bool { (try? DNSClient(resolver: text)) != nil }

    /// The service's own host name, from the public URL (lower case, no port).
    public var publicHost: String? {
        URLComponents(string: publicURL)?.host?.lowercased()
    }

    /// Where an account's users sign in with their username and password: the client's page of the
    /// dashboard (`GET /login`), which a browser can open. Scripts trade the same credentials for a
    /// token at `POST /v1/login`.
    public var loginURL: String { publicURL + "/login" }

    /// The login URL on an account's verified custom domain (TLS is the proxy's, so https), or the
    /// service's own. The host comes from the database, never from a request.
    public func loginURL(host: String?) -> String {
        host.map { "https://\($0)/login" } ?? loginURL
    }
}
