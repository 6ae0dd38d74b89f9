import AgencyAPI
import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird

/// The agency API for accounts: sandboxes, client accounts, their tokens.
struct AccountsController {
    let database: AppDatabase
    let settings: ServiceSettings
    let hasher: PasswordHasher

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("sandboxes", use: createSandbox)
        group.post("accounts", use: createClientAccount)
        group.get("accounts", use: list)
        group.get("accounts/:id", use: show)
        group.patch("accounts/:id", use: update)
        group.delete("accounts/:id", use: delete)
        group.post("accounts/:id/tokens", use: createToken)
        group.get("accounts/:id/tokens", use: listTokens)
        group.delete("accounts/:id/tokens/:tokenID", use: revokeToken)
        group.get("accounts/:id/verify", use: verify)
    }

    @Sendable func createSandbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(SandboxRequest.self)
        return try await create(name: body.name, kind: .sandbox, context: context)
    }

    /// A client account, empty or made from a snapshot. With an `Idempotency-Key`, a retry of the same
    /// request gets the same account and credentials back and makes nothing new; it is recognised
    /// before any password is hashed.
    @Sendable func createClientAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agencyID = try context.requireAgency()
        let body = try await request.decodeJSON(AccountRequest.self)
        let kind = try AccountKind.clientKind(body.kind ?? "", field: "kind")
        let name = try AccountName.validated(body.name)
        var domain: CustomDomain?
        if let host = body.domain { domain = try await database.activeDomain(host: try HostName.validated(host, field: "domain"), agencyID: agencyID) }
        let key = try request.headers[.idempotencyKey].map(IdempotentReply.validatedKey)
        let token = context.agencyToken ?? ""
        // The request as decoded, in canonical form: key order and spacing don't make another request.
        let digest = IdempotentReply.requestDigest(try JSONReply.encoder.encode(body))
        if let key, let replay = try await database.earlierProvision(agencyID: agencyID, key: key, requestDigest: digest) {
            return try await replayed(replay, key: key, token: token)
        }

        let password = Secrets.newPassword()
        var provisionRequest = ProvisionRequest(
            agencyID: agencyID, snapshotID: body.snapshot_id?.value, name: name, kind: kind,
            options: ProvisioningOptions(activateAutomations: body.activate_automations ?? false, activateCampaigns: body.activate_campaigns ?? false),
            passwordHash: try await hasher.hash(password), makeUsername: { Username.make(fromAccountName: name) },
            idempotency: try key.map { key in
                .init(key: key, requestDigest: digest, sealedPassword: try IdempotentReply.seal(password: password, token: token, idempotencyKey: key))
            }
        )
        provisionRequest.domainID = domain?.id
        let outcome = try await ServiceMetrics.timed(ServiceMetrics.provisioningDuration) {
            try await database.provision(provisionRequest)
        }
        switch outcome {
        case .created(let account, let username):
            return try JSONReply.make(createdReply(account, username: username, password: password, loginHost: domain?.host), status: .created)
        case .replayed(let replay):
            return try await replayed(replay, key: key ?? "", token: token)
        }
    }

    /// The first request's account and credentials, again. Only the token that sent the first request
    /// can open its sealed password.
    func replayed(_ replay: ProvisionReplay, key: String, token: String) async throws -> Response {
        guard let password = IdempotentReply.openPassword(replay.sealedPassword, token: token, idempotencyKey: key) else {
            throw DomainError.conflict(
                code: "idempotency_key_in_use",
                message: "This Idempotency-Key was used by another agency token; retry with the token that sent the first request."
            )
        }
        return try JSONReply.make(
            createdReply(replay.account, username: replay.username, password: password, loginHost: try await database.loginHost(accountID: replay.account.id)),
            status: .created, headers: [.idempotentReplayed: "true"]
        )
    }

    /// `loginHost`: the account's active custom domain, whose sign-in page wears the agency's brand.
    func createdReply(_ account: Account, username: String, password: String, loginHost: String? = nil) -> AccountBody {
        AccountBody(account, credentials: CredentialsBody(login_url: settings.loginURL(host: loginHost), username: username, password: password))
    }

    /// Proves the account holds no dangling reference, and lists the client's changes since its base.
    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> Response {
        let check = try await database.verifyAccount(id: try pathID(context, what: "Account"), agencyID: try context.requireAgency())
        return try JSONReply.make(AccountCheckBody(
            account_id: check.accountID, ok: check.ok, references_intact: check.referencesIntact, equals_snapshot: check.equalsSnapshot,
            snapshot_exists: check.snapshotExists, source: check.source.map(SourceBody.init), assets_checked: check.assetsChecked,
            references_checked: check.referencesChecked, dangling: check.dangling, differences: check.differences
        ))
    }

    /// Generates the credentials, hashes the password off the event loop, then stores the account.
    func create(name: String?, kind: AccountKind, context: AppRequestContext) async throws -> Response {
        let agencyID = try context.requireAgency()
        let name = try AccountName.validated(name)
        let password = Secrets.newPassword()
        let passwordHash = try await hasher.hash(password)
        let (account, username) = try await database.createAccount(
            agencyID: agencyID, name: name, kind: kind, passwordHash: passwordHash,
            makeUsername: { Username.make(fromAccountName: name) }
        )
        return try JSONReply.make(createdReply(account, username: username, password: password), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let kind = try request.query("kind").map { try AccountKind.parse($0, field: "kind") }
        let page = try Page(request)
        let (accounts, total) = try await database.accounts(agencyID: try context.requireAgency(), kind: kind, page: page)
        return try JSONReply.make(AccountList(accounts: accounts.map { AccountBody($0) }, meta: ListMeta(total: total, page: page)))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try await database.account(id: try pathID(context, what: "Account"), agencyID: try context.requireAgency())
        return try JSONReply.make(AccountBody(account))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try pathID(context, what: "Account")
        let body = try await request.decodeJSON(AccountUpdateRequest.self)
        let name = try body.name.map { try AccountName.validated($0) }
        let kind = try body.kind.map { try AccountKind.parse($0, field: "kind") }
        let account = try await database.updateAccount(id: id, agencyID: try context.requireAgency(), name: name, kind: kind)
        return try JSONReply.make(AccountBody(account))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await database.deleteAccount(id: try pathID(context, what: "Account"), agencyID: try context.requireAgency())
        return Response(status: .noContent)
    }

    @Sendable func createToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try pathID(context, what: "Account")
        let token = Secrets.newToken(prefix: "acct")
        let tokenID = try await database.addAccountToken(accountID: id, agencyID: try context.requireAgency(), digest: Secrets.digest(ofToken: token))
        return try JSONReply.make(TokenReply(account_id: id, token: token, id: tokenID), status: .created)
    }

    /// The account's tokens: ids and dates, never a secret.
    @Sendable func listTokens(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try pathID(context, what: "Account")
        let tokens = try await database.accountTokens(accountID: id, agencyID: try context.requireAgency())
        return try JSONReply.make(AccountTokenList(account_id: id, tokens: tokens.map(AccountTokenBody.init)))
    }

    /// Revokes one token; it is refused from the next request on, and the account's other tokens keep working.
    @Sendable func revokeToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try pathID(context, what: "Account")
        let tokenID = try pathID(context, "tokenID", what: "Token")
        try await database.revokeAccountToken(tokenID: tokenID, accountID: id, agencyID: try context.requireAgency())
        return Response(status: .noContent)
    }
}

extension AccountTokenBody {
    init(_ token: AccountTokenInfo) {
        self.init(id: token.id, created_at: token.createdAt, last_used_at: token.lastUsedAt)
    }
}
