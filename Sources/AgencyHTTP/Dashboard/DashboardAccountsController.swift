import AgencyAPI
import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird

/// The Reseller tab: the agency's accounts, "Add new", and each account's page. It calls the same
/// storage functions as the JSON API (`AccountsController`), so the two cannot disagree.
struct DashboardAccountsController {
    let database: AppDatabase
    let settings: ServiceSettings
    let hasher: PasswordHasher
    let cookies: DashboardCookies

    static let pageSize = 25

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: list)
        group.get("accounts/new", use: newAccount)
        group.post("accounts", use: create)
        group.get("accounts/:id", use: show)
        group.post("accounts/:id", use: update)
        group.get("accounts/:id/check", use: check)
        group.post("accounts/:id/tokens", use: mintToken)
        group.post("accounts/:id/tokens/:tokenID/revoke", use: revokeToken)
        group.get("accounts/:id/delete", use: confirmDelete)
        group.post("accounts/:id/delete", use: delete)
        group.post("accounts/:id/log-in", use: logIn)
    }

    static func chrome(_ title: String, _ session: SignedInSession, notice: String? = nil) -> PageChrome {
        PageChrome(title: title, csrf: session.csrfToken, agency: true, notice: notice, brand: session.brand)
    }

    /// Notices after a redirect are chosen by code, so no text from the URL reaches the page.
    static let notices = [
        "deleted": "The account was deleted.",
        "updated": "The account was saved.",
        "token-revoked": "The API token was revoked; it no longer opens the account.",
        "snapshot-created": "The snapshot was created.",
        "snapshot-deleted": "The snapshot was deleted. Accounts made from it keep working and keep its name and digest.",
    ]

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let kind = request.query("kind").flatMap(AccountKind.init(rawValue:))
        let number = request.query("page").flatMap(Int.init).map { min(max($0, 1), 1_000_000) } ?? 1
        let page = Page(limit: Self.pageSize, offset: (number - 1) * Self.pageSize)
        let (accounts, total) = try await database.accounts(agencyID: session.agencyID, kind: kind, page: page)
        func link(_ number: Int, _ label: String) -> PageLink {
            PageLink(href: "/dashboard?" + (kind.map { "kind=\($0.rawValue)&" } ?? "") + "page=\(number)", label: label)
        }
        var chrome = Self.chrome("Accounts", session, notice: request.query("done").flatMap { Self.notices[$0] })
        chrome.onAccounts = true
        let first = total == 0 ? 0 : min(page.offset + 1, total)
        return try DashboardPages.page("accounts", AccountsView(
            page: chrome, accounts: accounts.map(AccountRow.init),
            kinds: [Choice(value: "", label: "All kinds", selected: kind == nil)]
                + AccountKind.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == kind) },
            total: total, showing: "\(first)–\(page.offset + accounts.count) of \(total)",
            previous: number > 1 ? link(number - 1, "Previous page") : nil,
            next: page.offset + accounts.count < total ? link(number + 1, "Next page") : nil
        ))
    }

    /// "Add new": a fresh idempotency key in the form, so a double click or a reload of the result
    /// sends the same key and gets the first account back.
    @Sendable func newAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let snapshotID = request.query("snapshot").flatMap { Int64($0) }
        let kind = request.query("kind").flatMap(AccountKind.init(rawValue:)) ?? (snapshotID == nil ? .sandbox : .paid)
        return try await addPage(session, kind: kind, snapshotID: snapshotID, name: "", key: Secrets.newToken(prefix: "form"))
    }

    func addPage(
        _ session: SignedInSession, kind: AccountKind?, snapshotID: Int64?, name: String, key: String,
        nameError: String? = nil, snapshotError: String? = nil, formError: String? = nil, domain: String = "", status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (snapshots, _) = try await database.snapshots(agencyID: session.agencyID, query: SnapshotQuery(page: Page(limit: Page.maximumLimit)))
        let domains = try await database.domains(agencyID: session.agencyID).filter(\.isActive)
        var chrome = Self.chrome("Add new account", session)
        chrome.onAddNew = true
        return try DashboardPages.page("add-account", AddAccountView(
            page: chrome,
            kinds: AccountKind.allCases.map { Choice(value: $0.rawValue, label: Self.kindLabel($0), selected: $0 == kind) },
            snapshots: [Choice(value: "", label: "None: an empty account", selected: snapshotID == nil)]
                + snapshots.map { Choice(value: "\($0.id)", label: "\($0.name) (ID \($0.id))", selected: $0.id == snapshotID) },
            name: name, idempotencyKey: key, nameError: nameError, snapshotError: snapshotError, formError: formError,
            domains: [Choice(value: "", label: "The service's own (\(settings.loginURL))", selected: domain.isEmpty)]
                + domains.map { Choice(value: $0.host, label: $0.loginURL, selected: $0.host == domain) },
            hasDomains: !domains.isEmpty
        ), status: status)
    }

    static func kindLabel(_ kind: AccountKind) -> String {
        switch kind {
        case .sandbox: "Sandbox (the agency's workshop: 100 contacts, 100 sends)"
        case .trial: "Trial (a client account)"
        case .paid: "Paid (a client account)"
        }
    }

    /// Makes the account as `POST /v1/accounts` does (`provision`, with the form's idempotency key),
    /// and shows its credentials on this reply: the only time the password is shown.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let form = try await DashboardForm.read(request, secret: session.sessionID)
        let name = form["name"] ?? ""
        let snapshotID = form.id("snapshot")
        let key = form["idempotency_key"] ?? ""
        let chosenKind = AccountKind(rawValue: form["kind"] ?? "")
        let domainHost = form["domain"] ?? ""
        func again(nameError: String? = nil, snapshotError: String? = nil, formError: String? = nil) async throws -> Response {
            try await addPage(
                session, kind: chosenKind, snapshotID: snapshotID, name: name, key: key,
                nameError: nameError, snapshotError: snapshotError, formError: formError, domain: domainHost, status: .unprocessableContent
            )
        }
        guard let kind = chosenKind else { return try await again(formError: "Choose what kind of account to make.") }
        guard (try? IdempotentReply.validatedKey(key)) != nil else {
            return try await again(formError: "This form is incomplete; open Add new again.")
        }
        let validName: String
        do { validName = try AccountName.validated(name) } catch let error as DomainError { return try await again(nameError: error.message) }
        if kind == .sandbox, snapshotID != nil {
            return try await again(snapshotError: "A sandbox starts empty and is never made from a snapshot. Choose None, or make a trial or paid account.")
        }

        var domain: CustomDomain?
        if !domainHost.isEmpty {
            do { domain = try await database.activeDomain(host: try HostName.validated(domainHost, field: "domain"), agencyID: session.agencyID) } catch let error as DomainError {
                return try await again(formError: error.message)
            }
        }
        let digest = IdempotentReply.requestDigest(Data("dashboard account\n\(kind.rawValue)\n\(snapshotID ?? 0)\n\(validName)\(domainHost.isEmpty ? "" : "\n" + domainHost)".utf8))
        do {
            if let replay = try await database.earlierProvision(agencyID: session.agencyID, key: key, requestDigest: digest) {
                return try await credentialsPage(session, replay: replay, key: key)
            }
            let password = Secrets.newPassword()
            var provisionRequest = ProvisionRequest(
                agencyID: session.agencyID, snapshotID: snapshotID, name: validName, kind: kind, options: ProvisioningOptions(),
                passwordHash: try await hasher.hash(password), makeUsername: { Username.make(fromAccountName: validName) },
                idempotency: .init(
                    key: key, requestDigest: digest,
                    sealedPassword: try IdempotentReply.seal(password: password, token: session.sessionID, idempotencyKey: key)
                )
            )
            provisionRequest.domainID = domain?.id
            let outcome = try await database.provision(provisionRequest)
            switch outcome {
            case .created(let account, let username):
                return try await credentialsPage(session, account: account, username: username, password: password)
            case .replayed(let replay):
                return try await credentialsPage(session, replay: replay, key: key)
            }
        } catch DomainError.notFound(let what) where what.hasPrefix("Snapshot") {
            return try await again(snapshotError: "This snapshot no longer exists; choose another.")
        } catch let error as DomainError where error.code.hasPrefix("idempotency_key") {
            return try await again(formError: "This form was already used to make an account. Open Add new again to make another.")
        }
    }

    func credentialsPage(_ session: SignedInSession, replay: ProvisionReplay, key: String) async throws -> Response {
        guard let password = IdempotentReply.openPassword(replay.sealedPassword, token: session.sessionID, idempotencyKey: key) else {
            throw DomainError.conflict(code: "idempotency_key_in_use", message: "This form was sent from another session; open Add new again.")
        }
        return try await credentialsPage(session, account: replay.account, username: replay.username, password: password)
    }

    /// The login URL is on the account's custom domain when it was given one.
    func credentialsPage(_ session: SignedInSession, account: Account, username: String, password: String) async throws -> Response {
        try DashboardPages.page("credentials", CredentialsView(
            page: Self.chrome("Account ready: \(account.name)", session), account: AccountRow(account),
            loginURL: settings.loginURL(host: try await database.loginHost(accountID: account.id)), username: username, password: password
        ), status: .created)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let account = try await database.account(id: try pathID(context, what: "Account"), agencyID: session.agencyID)
        return try await accountPage(session, account, notice: request.query("done").flatMap { Self.notices[$0] })
    }

    func accountPage(
        _ session: SignedInSession, _ account: Account, notice: String? = nil, name: String? = nil,
        nameError: String? = nil, kindError: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let holdings = try await AccountHoldings.read(account, database: database)
        var chrome = Self.chrome(account.name, session, notice: notice)
        chrome.onAccounts = true
        return try DashboardPages.page("account", AccountView(
            page: chrome, account: AccountRow(account), username: try await database.accountUser(accountID: account.id).username,
            counts: holdings.counts, images: holdings.images, sourceDigest: account.source?.digest,
            editName: name ?? account.name,
            // A sandbox stays a sandbox and a client account never becomes one: only trial and paid are offered.
            plans: account.kind == .sandbox ? [] : [AccountKind.trial, .paid].map { Choice(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == account.kind) },
            nameError: nameError, kindError: kindError,
            tokens: try await database.accountTokens(accountID: account.id, agencyID: session.agencyID).map(TokenRow.init)
        ), status: status)
    }

    /// Renames the account or changes trial to paid (or back), as `PATCH /v1/accounts/{id}` does.
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let form = try await DashboardForm.read(request, secret: session.sessionID)
        let account = try await database.account(id: try pathID(context, what: "Account"), agencyID: session.agencyID)
        let name = form["name"] ?? ""
        do {
            let validName = try AccountName.validated(name)
            let kind = try form["kind"].map { try AccountKind.parse($0, field: "kind") }
            _ = try await database.updateAccount(id: account.id, agencyID: session.agencyID, name: validName, kind: kind)
        } catch let error as DomainError {
            if case .invalid(let field, let message) = error, field == "name" {
                return try await accountPage(session, account, name: name, nameError: message, status: .unprocessableContent)
            }
            guard case .notFound = error else {
                return try await accountPage(session, account, name: name, kindError: error.message, status: .unprocessableContent)
            }
            throw error
        }
        return DashboardPages.redirect(to: "/dashboard/accounts/\(account.id)?done=updated")
    }

    /// Verify and drift, as `GET /v1/accounts/{id}/verify` and `/drift` report them.
    @Sendable func check(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let account = try await database.account(id: try pathID(context, what: "Account"), agencyID: session.agencyID)
        let check = try await database.verifyAccount(id: account.id, agencyID: session.agencyID)
        let drift = try await database.drift(accountID: account.id, agencyID: session.agencyID)
        let equalsSnapshot = switch check.equalsSnapshot {
        case nil: "Not made from a snapshot."
        case true?: "Yes: the account holds exactly what its snapshot holds."
        case false?: "No: the client has changed it since (listed below)."
        }
        return try DashboardPages.page("check", CheckView(
            page: Self.chrome("Check \(account.name)", session), account: AccountRow(account), ok: check.ok,
            referencesIntact: check.referencesIntact, assetsChecked: check.assetsChecked, referencesChecked: check.referencesChecked,
            dangling: check.dangling,
            equalsSnapshot: equalsSnapshot,
            differences: check.differences, drift: drift.lines, hasBase: drift.baseSnapshotID != nil
        ))
    }

    /// A per-account API token, shown on this reply only.
    @Sendable func mintToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        _ = try await DashboardForm.read(request, secret: session.sessionID)
        let account = try await database.account(id: try pathID(context, what: "Account"), agencyID: session.agencyID)
        let token = Secrets.newToken(prefix: "acct")
        try await database.addAccountToken(accountID: account.id, agencyID: session.agencyID, digest: Secrets.digest(ofToken: token))
        return try DashboardPages.page("token", TokenView(
            page: Self.chrome("API token for \(account.name)", session), account: AccountRow(account), token: token,
            back: "/dashboard/accounts/\(account.id)"
        ), status: .created)
    }

    /// Revokes one per-account token, as `DELETE /v1/accounts/{id}/tokens/{tokenID}` does.
    @Sendable func revokeToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        _ = try await DashboardForm.read(request, secret: session.sessionID)
        let accountID = try pathID(context, what: "Account")
        try await database.revokeAccountToken(tokenID: try pathID(context, "tokenID", what: "Token"), accountID: accountID, agencyID: session.agencyID)
        return DashboardPages.redirect(to: "/dashboard/accounts/\(accountID)?done=token-revoked")
    }

    @Sendable func confirmDelete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let account = try await database.account(id: try pathID(context, what: "Account"), agencyID: session.agencyID)
        return try DashboardPages.page("confirm", ConfirmView(
            page: Self.chrome("Delete \(account.name)?", session), what: "account", name: account.name,
            action: "/dashboard/accounts/\(account.id)/delete", cancel: "/dashboard/accounts/\(account.id)",
            consequence: "Everything in it goes for good: its assets, contacts, deals, users and API tokens. Snapshots taken of it stay."
        ))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        _ = try await DashboardForm.read(request, secret: session.sessionID)
        try await database.deleteAccount(id: try pathID(context, what: "Account"), agencyID: session.agencyID)
        return DashboardPages.redirect(to: "/dashboard?done=deleted")
    }

    /// "Log in": opens the account's own page as its user sees it, in a client session of its own.
    @Sendable func logIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        _ = try await DashboardForm.read(request, secret: session.sessionID)
        let account = try await database.account(id: try pathID(context, what: "Account"), agencyID: session.agencyID)
        let sessionID = SessionSecrets.newSessionID()
        try await database.startClientSession(accountID: account.id, digest: Secrets.digest(ofToken: sessionID), now: cookies.clock())
        return DashboardPages.redirect(to: "/client", cookies: [cookies.session(.client, value: sessionID)])
    }
}

/// What an account holds, for its page and its client's: asset counts per kind, and the images
/// its snapshot left out (the client's to-do list), which belong to the account and outlive the snapshot.
struct AccountHoldings {
    var counts: [Count]
    var images: [ImageRow]

    static func read(_ account: Account, database: AppDatabase) async throws -> AccountHoldings {
        var counts: [Count] = []
        for kind in AssetKind.allCases {
            let (_, total) = try await database.assets(accountID: account.id, kind: kind, query: AssetQuery(page: Page(limit: 1)))
            if total > 0 { counts.append(Count(label: kind.spec.path, count: total)) }
        }
        let omitted = try await database.omittedImages(accountID: account.id)
        // Named as the account has them now ("template 2 Welcome").
        var names: [String: String] = [:]
        for image in omitted where names["\(image.assetKind) \(image.assetID)"] == nil {
            let key = "\(image.assetKind) \(image.assetID)"
            if let kind = AssetKind(rawValue: image.assetKind), let id = Int64(image.assetID),
               let asset = try? await database.asset(accountID: account.id, kind: kind, id: id) {
                names[key] = "\(key): \(asset.name)"
            } else {
                names[key] = key
            }
        }
        let images = omitted.map { ImageRow(asset: names["\($0.assetKind) \($0.assetID)"] ?? "", location: $0.location, source: $0.source) }
        return AccountHoldings(counts: counts, images: images)
    }
}
