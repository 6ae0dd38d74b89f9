import AgencyDomain
import AgencyStorage
import Hummingbird

/// The client's side of the login URL: sign in with the account's username and password (the same
/// check as `POST /v1/login`), see the account, mint its API token, sign out.
struct ClientController {
    let database: AppDatabase
    let login: AccountLogin
    let cookies: DashboardCookies
    let nonces: SignInNonces
    let signInGuard: SignInGuard
    let hosts: HostBranding

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("login", use: form)
        router.post("login", use: signIn)
    }

    func addSignedInRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: show)
        group.post("tokens", use: mintToken)
        group.post("sign-out", use: signOut)
    }

    static func chrome(_ title: String, _ session: SignedInSession) -> PageChrome {
        PageChrome(title: title, csrf: session.csrfToken, client: true, brand: session.brand)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        if try await DashboardSessionMiddleware.liveSession(of: .client, in: request, database: database, cookies: cookies) != nil {
            return DashboardPages.redirect(to: "/client")
        }
        return try AgencySignInController.signInPage(
            request, cookies: cookies, nonces: nonces, template: "client-sign-in", error: nil, username: nil, status: .ok,
            brand: try await hosts.brand(of: request)
        )
    }

    /// A wrong username and a wrong password get the same message after the same bcrypt work, and a
    /// new nonce and CSRF token; too many failures get the form at once with 429 and `Retry-After`.
    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let nonce = try AgencySignInController.liveNonce(request, nonces: nonces)
        let form = try await DashboardForm.read(request, secret: nonce)
        let username = (form["username"] ?? "").trimmingCharacters(in: .whitespaces)
        let accountID: Int64
        let domain = try await hosts.activeDomain(of: request)
        do {
            accountID = try await signInGuard.attempt(.client, username: username, from: context.clientAddress) {
                try await login.authenticate(username: username, password: form["password"] ?? "", onDomainOf: domain?.agencyID)
            }
        } catch DomainError.unauthorized {
            return try AgencySignInController.failedSignInPage(
                request, cookies: cookies, nonces: nonces, spent: nonce, template: "client-sign-in",
                error: "The username or the password is wrong.", username: username, brand: try await hosts.brand(of: request)
            )
        } catch let refusal where SignInGuard.isRefusal(refusal) {
            return try AgencySignInController.failedSignInPage(
                request, cookies: cookies, nonces: nonces, spent: nonce, template: "client-sign-in", refusal: refusal, username: username,
                brand: try await hosts.brand(of: request)
            )
        }
        let sessionID = SessionSecrets.newSessionID()
        try await database.startClientSession(accountID: accountID, digest: Secrets.digest(ofToken: sessionID), now: cookies.clock())
        return DashboardPages.redirect(to: "/client", cookies: [cookies.session(.client, value: sessionID), cookies.expired(DashboardCookies.signInNonce)])
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let account = try await database.account(id: session.accountID ?? 0, agencyID: session.agencyID)
        let holdings = try await AccountHoldings.read(account, database: database)
        return try DashboardPages.page("client-account", ClientAccountView(
            page: Self.chrome(account.name, session), account: AccountRow(account),
            username: try await database.accountUser(accountID: account.id).username,
            counts: holdings.counts, images: holdings.images
        ))
    }

    /// A token for the per-account API (`Api-Token`), as `POST /v1/login` gives one; shown once.
    @Sendable func mintToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        _ = try await DashboardForm.read(request, secret: session.sessionID)
        let account = try await database.account(id: session.accountID ?? 0, agencyID: session.agencyID)
        let token = Secrets.newToken(prefix: "acct")
        try await database.addAccountToken(accountID: account.id, digest: Secrets.digest(ofToken: token))
        return try DashboardPages.page("token", TokenView(
            page: Self.chrome("API token for \(account.name)", session), account: AccountRow(account), token: token, back: "/client"
        ), status: .created)
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        _ = try await DashboardForm.read(request, secret: session.sessionID)
        try await database.endDashboardSession(digest: Secrets.digest(ofToken: session.sessionID))
        return DashboardPages.redirect(to: DashboardRoutes.clientLoginPath, cookies: [cookies.expired(DashboardCookies.sessionName(.client))])
    }
}
