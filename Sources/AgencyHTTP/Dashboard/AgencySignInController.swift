import AgencyDomain
import AgencyStorage
import Hummingbird

/// Signing in to the dashboard with the agency token, typed into a form (never put in a URL), and
/// signing out.
struct AgencySignInController {
    let database: AppDatabase
    let cookies: DashboardCookies

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("dashboard/sign-in", use: form)
        router.post("dashboard/sign-in", use: signIn)
    }

    func addSignedInRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("sign-out", use: signOut)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        if try await DashboardSessionMiddleware.liveSession(of: .agency, in: request, database: database) != nil {
            return DashboardPages.redirect(to: "/dashboard")
        }
        return try Self.signInPage(request, cookies: cookies, template: "sign-in", error: nil, username: nil, status: .ok)
    }

    /// A wrong token gets the form again, with the message next to the field.
    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await DashboardForm.read(request, secret: request.cookies[DashboardCookies.signInNonce]?.value)
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, let agencyID = try await database.agencyID(forTokenDigest: Secrets.digest(ofToken: token)) else {
            let message = token.hasPrefix("acct_")
                ? "This is an account token (acct_…); the dashboard takes the agency token (agency_…)."
                : "This agency token is not known to this service. Check that you copied all of it."
            return try Self.signInPage(request, cookies: cookies, template: "sign-in", error: message, username: nil, status: .unauthorized)
        }
        let sessionID = SessionSecrets.newSessionID()
        try await database.startAgencySession(agencyID: agencyID, digest: Secrets.digest(ofToken: sessionID))
        return DashboardPages.redirect(to: "/dashboard", cookies: [cookies.session(.agency, value: sessionID), cookies.expired(DashboardCookies.signInNonce)])
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        _ = try await DashboardForm.read(request, secret: session.sessionID)
        try await database.endDashboardSession(digest: Secrets.digest(ofToken: session.sessionID))
        return DashboardPages.redirect(to: "/dashboard/sign-in", cookies: [cookies.expired(DashboardCookies.sessionName(.agency))])
    }

    /// A sign-in form (the agency's or the client's), its CSRF token keyed by the browser's sign-in
    /// nonce, made now if the browser has none.
    static func signInPage(
        _ request: Request, cookies: DashboardCookies, template: String, error: String?, username: String?, status: HTTPResponse.Status,
        brand: PageBrand = .service
    ) throws -> Response {
        let existing = request.cookies[DashboardCookies.signInNonce]?.value
        let nonce = existing.flatMap { $0.isEmpty ? nil : $0 } ?? SessionSecrets.newSessionID()
        let title = template == "sign-in" ? "Sign in to the agency dashboard" : "Sign in to your account"
        var response = try DashboardPages.page(
            template, SignInView(page: PageChrome(title: title, csrf: SessionSecrets.csrfToken(forSession: nonce), brand: brand), error: error, username: username),
            status: status
        )
        if nonce != existing { response.setCookie(cookies.nonce(nonce)) }
        return response
    }
}
