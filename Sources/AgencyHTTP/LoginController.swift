import AgencyDomain
import AgencyStorage
import Hummingbird

/// `POST /v1/login`: an account's user trades username and password for a per-account API token.
struct LoginController {
    let database: AppDatabase
    let hasher: PasswordHasher

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("v1/login", use: login)
    }

    struct LoginRequest: Decodable {
        var username: String?
        var password: String?
    }

    /// A wrong username and a wrong password get the same answer after the same bcrypt work.
    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(LoginRequest.self)
        let user = try await database.user(named: body.username ?? "")
        let matches = try await hasher.verify(body.password ?? "", against: user?.passwordHash ?? PasswordHasher.decoyHash)
        guard let user, matches else { throw DomainError.unauthorized }
        let token = Secrets.newToken(prefix: "acct")
        try await database.addAccountToken(accountID: user.accountID, digest: Secrets.digest(ofToken: token))
        return try JSONReply.make(TokenReply(account_id: user.accountID, token: token))
    }
}
