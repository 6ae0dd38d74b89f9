import AgencyAPI
import AgencyDomain
import AgencyStorage
import Hummingbird

/// `POST /v1/login`: an account's user trades username and password for a per-account API token.
struct LoginController {
    let database: AppDatabase
    let credentials: AccountLogin
    let signInGuard: SignInGuard
    let hosts: HostBranding

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("v1/login", use: login)
    }

    /// A wrong username and a wrong password get the same answer after the same bcrypt work; too
    /// many failures are answered 429 at once, a full password queue 503 (`SignInGuard`).
    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(LoginRequest.self)
        let username = body.username ?? ""
        let domainAgency = try await hosts.activeDomain(of: request)?.agencyID
        let accountID = try await signInGuard.attempt(.api, username: username, from: context.clientAddress) {
            try await credentials.authenticate(username: username, password: body.password ?? "", onDomainOf: domainAgency)
        }
        let token = Secrets.newToken(prefix: "acct")
        try await database.addAccountToken(accountID: accountID, digest: Secrets.digest(ofToken: token))
        return try JSONReply.make(TokenReply(account_id: accountID, token: token))
    }
}
