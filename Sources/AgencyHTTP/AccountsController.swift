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
        group.get("accounts/:id/verify", use: verify)
    }

    struct SandboxRequest: Decodable {
        var name: String?
    }

    struct AccountRequest: Decodable {
        var name: String?
        var kind: String?
        var snapshot_id: FlexibleID?
        var activate_automations: Bool?
        var activate_campaigns: Bool?
    }

    struct UpdateRequest: Decodable {
        var name: String?
        var kind: String?
    }

    @Sendable func createSandbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(SandboxRequest.self)
        return try await create(name: body.name, kind: .sandbox, context: context)
    }

    /// A client account, empty or made from a snapshot. With an `Idempotency-Key`, a retry of the same
    /// request gets the first reply (credentials included) and makes nothing new.
    @Sendable func createClientAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agencyID = try context.requireAgency()
        let data = try await request.bodyData()
        let json = try Request.decodeJSON(JSONValue.self, from: data)
        let body = try Request.decodeJSON(AccountRequest.self, from: data)
        let kind = try AccountKind.parse(body.kind ?? "", field: "kind")
        guard kind != .sandbox else {
            throw DomainError.invalid(field: "kind", message: "Sandboxes are created with POST /v1/sandboxes; here kind is 'trial' or 'paid'.")
        }
        let name = try AccountName.validated(body.name)
        let key = try request.headers[.idempotencyKey].map(IdempotentReply.validatedKey)
        let token = context.agencyToken ?? ""
        let password = Secrets.newPassword()
        let passwordHash = try await hasher.hash(password)
        let loginURL = settings.loginURL
        let provisionRequest = ProvisionRequest(
            agencyID: agencyID, snapshotID: body.snapshot_id?.value, name: name, kind: kind,
            options: ProvisioningOptions(activateAutomations: body.activate_automations ?? false, activateCampaigns: body.activate_campaigns ?? false),
            passwordHash: passwordHash, makeUsername: { Username.make(fromAccountName: name) },
            idempotency: key.map { ($0, IdempotentReply.requestDigest(json)) }
        )
        let seal: @Sendable (Account, String) throws -> Data = { account, username in
            let reply = Self.createdReply(account, username: username, password: password, loginURL: loginURL)
            return try IdempotentReply.seal(try JSONReply.encoder.encode(reply), token: token, idempotencyKey: key ?? "")
        }
        let outcome = try await ServiceMetrics.timed(ServiceMetrics.provisioningDuration) {
            try await database.provision(provisionRequest, seal: seal)
        }
        switch outcome {
        case .created(let account, let username):
            return try JSONReply.make(Self.createdReply(account, username: username, password: password, loginURL: loginURL), status: .created)
        case .replayed(let sealed):
            guard let key, let reply = IdempotentReply.open(sealed, token: token, idempotencyKey: key) else {
                throw DomainError.conflict(
                    code: "idempotency_key_in_use",
                    message: "This Idempotency-Key was used by another agency token; retry with the token that sent the first request."
                )
            }
            var headers = HTTPFields()
            headers[.idempotentReplayed] = "true"
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .created, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: reply)))
        }
    }

    static func createdReply(_ account: Account, username: String, password: String, loginURL: String) -> AccountBody {
        AccountBody(account, credentials: AccountBody.CredentialsBody(login_url: loginURL, username: username, password: password))
    }

    /// Proves the account holds no dangling reference and, while its snapshot exists, equals it.
    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> Response {
        let check = try await database.verifyAccount(id: try pathID(context, what: "Account"), agencyID: try context.requireAgency())
        struct Reply: Encodable {
            var account_id: Int64
            var ok: Bool
            var references_intact: Bool
            var equals_snapshot: OrNull<Bool>
            var snapshot_exists: Bool
            var source: OrNull<SourceBody>
            var assets_checked: Int
            var references_checked: Int
            var dangling: [String]
            var differences: [String]
        }
        return try JSONReply.make(Reply(
            account_id: check.accountID, ok: check.ok, references_intact: check.referencesIntact, equals_snapshot: OrNull(check.equalsSnapshot),
            snapshot_exists: check.snapshotExists, source: OrNull(check.source.map(SourceBody.init)), assets_checked: check.assetsChecked,
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
        let credentials = AccountBody.CredentialsBody(login_url: settings.loginURL, username: username, password: password)
        return try JSONReply.make(AccountBody(account, credentials: credentials), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let kind = try request.query("kind").map { try AccountKind.parse($0, field: "kind") }
        let page = try Page(request)
        let (accounts, total) = try await database.accounts(agencyID: try context.requireAgency(), kind: kind, page: page)
        struct Reply: Encodable { var accounts: [AccountBody]; var meta: ListMeta }
        return try JSONReply.make(Reply(accounts: accounts.map { AccountBody($0) }, meta: ListMeta(total: total, page: page)))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try await database.account(id: try pathID(context, what: "Account"), agencyID: try context.requireAgency())
        return try JSONReply.make(AccountBody(account))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try pathID(context, what: "Account")
        let body = try await request.decodeJSON(UpdateRequest.self)
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
        try await database.addAccountToken(accountID: id, agencyID: try context.requireAgency(), digest: Secrets.digest(ofToken: token))
        return try JSONReply.make(TokenReply(account_id: id, token: token), status: .created)
    }
}

extension AccountKind {
    /// Parses a kind from input, naming the field when it is not one of the kinds.
    static func parse(_ text: String, field: String) throws -> AccountKind {
        guard let kind = AccountKind(rawValue: text) else {
            throw DomainError.invalid(field: field, message: "'\(text)' is not a kind of account; use sandbox, trial or paid.")
        }
        return kind
    }
}
