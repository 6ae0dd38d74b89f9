import AgencyAPI
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

    /// A wrong username and a wrong password get the same answer after the same bcrypt work.
    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(LoginRequest.self)
        let username = body.username ?? ""
        let user = try await database.user(named: username)
        let password = body.password ?? ""
        let stored = if let user { user.passwordHash } else { try await hasher.decoyHash() }
        let matches = try await hasher.verify(password, against: stored)
        guard let user, matches else { throw DomainError.unauthorized() }
        if hasher.needsRehash(user.passwordHash) {
            try await database.replacePasswordHash(username: username, with: try await hasher.hash(password))
        }
        let token = Secrets.newToken(prefix: "acct")
        try await database.addAccountToken(accountID: user.accountID, digest: Secrets.digest(ofToken: token))
        return try JSONReply.make(TokenReply(account_id: user.accountID, token: token))
    }
}
