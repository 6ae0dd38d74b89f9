import AgencyDomain
import AgencyStorage
import Hummingbird

/// Signing in to the dashboard with the agency token, typed into a form (never put in a URL), and
/// signing out.
struct AgencySignInController {
    let database: AppDatabase
    let cookies: DashboardCookies
    let nonces: SignInNonces
    let signInGuard: SignInGuard

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("dashboard/sign-in", use: form)
        router.post("dashboard/sign-in", use: signIn)
    }

    func addSignedInRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("sign-out", use: signOut)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        if try await DashboardSessionMiddleware.liveSession(of: .agency, in: request, database: database, cookies: cookies) != nil {
            return DashboardPages.redirect(to: "/dashboard")
        }
        return try Self.signInPage(request, cookies: cookies, nonces: nonces, template: "sign-in", error: nil, username: nil, status: .ok)
    }

    /// A wrong token gets the form again, with the message next to the field and a new nonce and CSRF
    /// token; too many wrong tokens from one address get it at once with 429 and `Retry-After`.
    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let nonce = try Self.liveNonce(request, nonces: nonces)
        let form = try await DashboardForm.read(request, secret: nonce)
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespaces)
        let agencyID: Int64
        do {
            agencyID = try await signInGuard.attempt(.agency, username: nil, from: context.clientAddress) {
                guard !token.isEmpty, let agencyID = try await database.agencyID(forTokenDigest: Secrets.digest(ofToken: token), now: cookies.clock()) else {
                    throw DomainError.unauthorized()
                }
                return agencyID
            }
        } catch DomainError.unauthorized {
            let message = token.hasPrefix("acct_")
                ? "This is an account token (acct_…); the dashboard takes the agency token (agency_…)."
                : "This agency token is not known to this service. Check that you copied all of it."
            return try Self.failedSignInPage(request, cookies: cookies, nonces: nonces, spent: nonce, template: "sign-in", error: message, username: nil)
        } catch let refusal where SignInGuard.isRefusal(refusal) {
            return try Self.failedSignInPage(request, cookies: cookies, nonces: nonces, spent: nonce, template: "sign-in", refusal: refusal, username: nil)
        }
        let sessionID = SessionSecrets.newSessionID()
        try await database.startAgencySession(agencyID: agencyID, digest: Secrets.digest(ofToken: sessionID), now: cookies.clock())
        return DashboardPages.redirect(to: "/dashboard", cookies: [cookies.session(.agency, value: sessionID), cookies.expired(DashboardCookies.signInNonce)])
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        _ = try await DashboardForm.read(request, secret: session.sessionID)
        try await database.endDashboardSession(digest: Secrets.digest(ofToken: session.sessionID))
        return DashboardPages.redirect(to: "/dashboard/sign-in", cookies: [cookies.expired(DashboardCookies.sessionName(.agency))])
    }

    /// A sign-in form (the agency's or the client's), its CSRF token keyed by the browser's sign-in
    /// nonce, made now if the browser has none that is live.
    static func signInPage(
        _ request: Request, cookies: DashboardCookies, nonces: SignInNonces, template: String, error: String?, username: String?,
        status: HTTPResponse.Status, headers: HTTPFields = [:], brand: PageBrand = .service
    ) throws -> Response {
        let existing = request.cookies[DashboardCookies.signInNonce]?.value
        let nonce = existing.flatMap { nonces.isLive($0) ? $0 : nil } ?? nonces.issue()
        let title = template == "sign-in" ? "Sign in to the agency dashboard" : "Sign in to your account"
        var response = try DashboardPages.page(
            template, SignInView(page: PageChrome(title: title, csrf: SessionSecrets.csrfToken(forSession: nonce), brand: brand), error: error, username: username),
            status: status
        )
        for field in headers { response.headers.append(field) }
        if nonce != existing { response.setCookie(cookies.nonce(nonce)) }
        return response
    }

    /// The form again after a failed or refused sign-in: the nonce it came with is spent, so the page
    /// carries a new nonce and CSRF token and the old pair is refused from now on.
    static func failedSignInPage(
        _ request: Request, cookies: DashboardCookies, nonces: SignInNonces, spent nonce: String?, template: String,
        error: String, username: String?, brand: PageBrand = .service
    ) throws -> Response {
        nonces.spend(nonce)
        return try signInPage(
            request, cookies: cookies, nonces: nonces, template: template, error: error, username: username, status: .unauthorized, brand: brand
        )
    }

    /// The same for a sign-in refused before its password was checked: 429 `too_many_attempts` or
    /// 503 `busy`, with `Retry-After`, as a page.
    static func failedSignInPage(
        _ request: Request, cookies: DashboardCookies, nonces: SignInNonces, spent nonce: String?, template: String,
        refusal: any Error, username: String?, brand: PageBrand = .service
    ) throws -> Response {
        nonces.spend(nonce)
        let failure = Failure(refusal)
        return try signInPage(
            request, cookies: cookies, nonces: nonces, template: template, error: failure.message, username: username,
            status: failure.status, headers: failure.headers, brand: brand
        )
    }

    /// The sign-in nonce the browser sent, if this service wrote it and it is live; a form keyed by
    /// any other is refused as stale (403) before it is read.
    static func liveNonce(_ request: Request, nonces: SignInNonces) throws -> String {
        let nonce = request.cookies[DashboardCookies.signInNonce]?.value
        guard let nonce, nonces.isLive(nonce) else { throw DashboardRefusal.staleForm }
        return nonce
    }
}
