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

    public init(
        publicURL: String, bcryptCost: UInt8 = 12, signIn: SignInLimits = SignInLimits(),
        sessionIdleTimeout: TimeInterval = AppDatabase.dashboardSessionIdleTimeout, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.bcryptCost = bcryptCost
        self.signIn = signIn
        self.sessionIdleTimeout = sessionIdleTimeout
        self.clock = clock
    }

    /// Where an account's users sign in with their username and password: the client's page of the
    /// dashboard (`GET /login`), which a browser can open. Scripts trade the same credentials for a
    /// token at `POST /v1/login`.
    public var loginURL: String { publicURL + "/login" }
}
