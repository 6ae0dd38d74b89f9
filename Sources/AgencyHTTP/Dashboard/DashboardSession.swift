import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird

/// A browser signed in to the dashboard, as a handler sees it.
struct SignedInSession: Sendable {
    var kind: DashboardSession.Kind
    var agencyID: Int64
    var accountID: Int64?
    /// The cookie's value: keys the CSRF token and seals passwords shown after a double submit.
    var sessionID: String
    /// The agency's branding, which its dashboard and its clients' pages wear.
    var brand = PageBrand.service

    var csrfToken: String { SessionSecrets.csrfToken(forSession: sessionID) }
}

extension AppRequestContext {
    /// The dashboard session; only reachable behind `DashboardSessionMiddleware`.
    func requireSession() throws -> SignedInSession {
        guard let dashboardSession else { throw DomainError.unauthorized() }
        return dashboardSession
    }
}

/// The dashboard's cookies: HttpOnly (no script reads them), SameSite=Strict (no other site's page
/// sends them), Path=/, and Secure when the public URL is https.
struct DashboardCookies: Sendable {
    var secure: Bool
    /// A session unused this long ends (`agency serve --session-idle-timeout`), before its 8 hours are up.
    var idleTimeout: TimeInterval = AppDatabase.dashboardSessionIdleTimeout
    /// The time sessions are checked against; tests set it.
    var clock: @Sendable () -> Date = { Date() }

    /// The service's cookies: secure behind an https public URL, with its idle timeout and clock.
    init(settings: ServiceSettings) {
        self.init(secure: settings.publicURL.lowercased().hasPrefix("https://"), idleTimeout: settings.sessionIdleTimeout, clock: settings.clock)
    }

    init(secure: Bool, idleTimeout: TimeInterval = AppDatabase.dashboardSessionIdleTimeout, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.secure = secure
        self.idleTimeout = idleTimeout
        self.clock = clock
    }

    /// The agency's session and the client's are separate cookies: an account manager who opens a
    /// sandbox with "Log in" stays signed in to the dashboard.
    static func sessionName(_ kind: DashboardSession.Kind) -> String {
        kind == .agency ? "agency_session" : "client_session"
    }

    /// A sign-in form has no session yet; its CSRF token is keyed by this short-lived cookie instead.
    static let signInNonce = "signin_nonce"

    func session(_ kind: DashboardSession.Kind, value: String) -> Cookie {
        Cookie(
            name: Self.sessionName(kind), value: value, maxAge: Int(AppDatabase.dashboardSessionLifetime), path: "/",
            secure: secure, httpOnly: true, sameSite: .strict
        )
    }

    func nonce(_ value: String) -> Cookie {
        Cookie(name: Self.signInNonce, value: value, maxAge: 3600, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// Clears a cookie in the browser.
    func expired(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }
}

/// Lets a request through to the signed-in pages only with a live session of the right kind;
/// otherwise sends the browser to the sign-in page.
struct DashboardSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase
    let cookies: DashboardCookies
    let kind: DashboardSession.Kind

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let session = try await Self.liveSession(of: kind, in: request, database: database, cookies: cookies) else {
            return DashboardPages.redirect(to: kind == .agency ? "/dashboard/sign-in" : DashboardRoutes.clientLoginPath)
        }
        var context = context
        context.dashboardSession = session
        return try await next(request, context)
    }

    /// The live session of `kind` whose cookie the request carries, if any; the sign-in pages ask it too.
    /// Asking also marks the session as in use (at most once a minute), which keeps it from its idle timeout.
    static func liveSession(of kind: DashboardSession.Kind, in request: Request, database: AppDatabase, cookies: DashboardCookies) async throws -> SignedInSession? {
        guard let value = request.cookies[DashboardCookies.sessionName(kind)]?.value, !value.isEmpty,
              let session = try await database.dashboardSession(
                  digest: Secrets.digest(ofToken: value), now: cookies.clock(), idleTimeout: cookies.idleTimeout
              ), session.kind == kind
        else { return nil }
        return SignedInSession(
            kind: kind, agencyID: session.agencyID, accountID: session.accountID, sessionID: value,
            brand: PageBrand(try await database.branding(agencyID: session.agencyID))
        )
    }
}
