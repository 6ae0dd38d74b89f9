import AgencyAPI
import Foundation
import GRDB
import HTTPTypes
import Testing

@Suite("Provisioning: client accounts made from a snapshot")
struct ProvisioningAPITests {
    /// The reply names the account's kind, its source snapshot and digest, and its credentials, once.
    @Test func replyCarriesSourceAndCredentials() async throws {
        let service = try await TestService()
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            let reply = try await api.provision("Studio North", from: fitness.snapshotID, agency: service.agencyA)
            #expect(reply.status == .created)
            let account = try reply.decode(AccountBody.self)
            #expect(account.kind == "paid")
            #expect(account.limits.contacts.value == nil && account.limits.sends.value == nil)
            #expect(account.source.value?.snapshot_id == fitness.snapshot.id)
            #expect(account.source.value?.digest == fitness.snapshot.digest)
            #expect(account.source.value?.snapshot_exists == true)
            #expect(account.credentials?.login_url == "https://snapshots.test/login")
            let shown = try await api.request(.get, "/v1/accounts/\(account.id)", agency: service.agencyA)
            #expect(try shown.decode(AccountBody.self).credentials == nil)
        }
    }

    /// The account equals its snapshot, with every reference intact; only what provisioning changes by
    /// design (automation status, image URLs) differs from the sandbox.
    @Test func accountEqualsItsSnapshot() async throws {
        let service = try await TestService()
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            let account = try await api.provision("Studio North", from: fitness.snapshotID, agency: service.agencyA).decode(AccountBody.self)
            let check = try await api.request(.get, "/v1/accounts/\(account.id)/verify", agency: service.agencyA).decode(AccountCheckBody.self)
            #expect(check.ok && check.references_intact && check.equals_snapshot.value == true)
            #expect(check.assets_checked == 22)
            #expect(check.references_checked > 20)
            let sandboxBundle = try await api.request(.get, "/v1/accounts/\(fitness.sandboxID)/bundle", agency: service.agencyA)
            let bundle = try await api.request(.get, "/v1/accounts/\(account.id)/bundle", agency: service.agencyA)
            #expect(Self.normalised(bundle.json) == Self.normalised(sandboxBundle.json))
        }
    }

    /// The generated credentials log in and open the new account's own API.
    @Test func credentialsLogIn() async throws {
        let service = try await TestService()
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            let account = try await api.provision("Studio North", from: fitness.snapshotID, agency: service.agencyA).decode(AccountBody.self)
            let credentials = try #require(account.credentials)
            let login = try await api.request(.post, "/v1/login", json: ["username": credentials.username, "password": credentials.password])
            let token = try login.decode(TokenReply.self)
            #expect(token.account_id == account.id)
            let usedBy = try await api.request(.get, "/api/3/tags/2/references", apiToken: token.token)
            #expect(!((usedBy.json["usedBy"] as? [Any]) ?? []).isEmpty)
        }
    }

    /// The account shares its snapshot's references (no rows of its own) and shows and guards them as
    /// the sandbox does its own: the same edges both ways, and a tag in use cannot be deleted.
    @Test func sharedReferencesReadAndProtectAsTheSandboxs() async throws {
        let service = try await TestService()
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            let account = try await api.provision("Studio North", from: fitness.snapshotID, agency: service.agencyA).decode(AccountBody.self)
            let token = try await api.accountToken(Int(account.id), agency: service.agencyA)
            let ownRows = try await DatabaseQueue(path: service.databasePath).read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM asset_references WHERE account_id = ?", arguments: [account.id])
            }
            #expect(ownRows == 0)
            for path in ["tags/1", "tags/2", "tags/3", "automations/1", "forms/1", "lists/1", "dealStages/1"] {
                let sandbox = try await api.request(.get, "/api/3/\(path)/references", apiToken: fitness.sandboxToken)
                let client = try await api.request(.get, "/api/3/\(path)/references", apiToken: token)
                #expect(client.status == .ok && sandbox.status == .ok)
                #expect(client.text == sandbox.text, "\(path)")
            }
            // A pipeline lists its stages through their references to it (v3's `dealGroup.stages`).
            let stages = { (token: String) async throws -> [String]? in
                let group = try await api.request(.get, "/api/3/dealGroups/1", apiToken: token)
                return (group.json["dealGroup"] as? [String: Any])?["stages"] as? [String]
            }
            let sandboxStages = try await stages(fitness.sandboxToken)
            #expect(sandboxStages?.count == 3)
            #expect(try await stages(token) == sandboxStages)
            let refused = try await api.request(.delete, "/api/3/tags/2", apiToken: token)
            #expect(refused.status == .conflict)
            #expect(refused.firstV3Error?["code"] as? String == "asset_in_use")
            #expect(try await api.request(.get, "/api/3/tags/2", apiToken: token).status == .ok)
        }
    }

    /// Automations arrive inactive and images as placeholders; the sandbox keeps its own.
    @Test func copiesArriveInertWithoutImages() async throws {
        let service = try await TestService()
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            let account = try await api.provision("Studio North", from: fitness.snapshotID, agency: service.agencyA).decode(AccountBody.self)
            let token = try await api.accountToken(Int(account.id), agency: service.agencyA)
            let automation = try await api.request(.get, "/api/3/automations/1", apiToken: token)
            let body = try #require(automation.json["automation"] as? [String: Any])
            #expect(body["status"] as? String == "inactive")
            #expect((body["trigger"] as? [String: Any])?["tag"] as? String == "2")
            let template = try await api.request(.get, "/api/3/templates/1", apiToken: token)
            let html = try #require((template.json["template"] as? [String: Any])?["html"] as? String)
            #expect(!html.contains("cdn.example.com"))
            #expect(html.contains("<h1>Welcome, %FIRSTNAME%!</h1>"))
            let original = try await api.request(.get, "/api/3/automations/1", apiToken: fitness.sandboxToken)
            #expect((original.json["automation"] as? [String: Any])?["status"] as? String == "active")
        }
    }

    /// Many accounts from one snapshot each get their own login name.
    @Test func eachAccountGetsItsOwnUsername() async throws {
        let service = try await TestService()
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            var usernames: Set<String> = []
            for name in ["Studio North", "Studio South", "Studio East"] {
                let account = try await api.provision(name, from: fitness.snapshotID, agency: service.agencyA).decode(AccountBody.self)
                usernames.insert(try #require(account.credentials?.username))
            }
            #expect(usernames.count == 3)
            let accounts = try await api.request(.get, "/v1/accounts?kind=paid", agency: service.agencyA).decode(AccountList.self)
            #expect(accounts.meta.total == 3)
        }
    }

    /// `activate_automations` keeps automations as they were in the sandbox.
    @Test func activationIsOptIn() async throws {
        let service = try await TestService()
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            let account = try await api.provision("Live", from: fitness.snapshotID, extra: ["activate_automations": true], agency: service.agencyA)
                .decode(AccountBody.self)
            #expect(account.source.value?.activate_automations == true)
            let token = try await api.accountToken(Int(account.id), agency: service.agencyA)
            let automation = try await api.request(.get, "/api/3/automations/1", apiToken: token)
            #expect((automation.json["automation"] as? [String: Any])?["status"] as? String == "active")
            let check = try await api.request(.get, "/v1/accounts/\(account.id)/verify", agency: service.agencyA).decode(AccountCheckBody.self)
            #expect(check.equals_snapshot.value == true)
        }
    }

    /// Touching the account afterwards shows up as drift, not as a broken reference or a failure.
    @Test func clientEditsAreDifferencesNotDamage() async throws {
        let service = try await TestService()
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            let account = try await api.provision("Client", from: fitness.snapshotID, agency: service.agencyA).decode(AccountBody.self)
            let token = try await api.accountToken(Int(account.id), agency: service.agencyA)
            _ = try await api.request(.put, "/api/3/tags/1", apiToken: token, json: ["tag": ["tag": "Changed"]])
            let check = try await api.request(.get, "/v1/accounts/\(account.id)/verify", agency: service.agencyA).decode(AccountCheckBody.self)
            #expect(check.equals_snapshot.value == false)
            #expect(check.differences == ["tag 1: edited by the client (/tag)"])
            #expect(check.references_intact && check.ok)
        }
    }

    /// The same Idempotency-Key and request return the first account and credentials, and make no second.
    @Test func retryReturnsTheFirstAccount() async throws {
        let service = try await TestService()
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            let first = try await api.provision("Client", from: fitness.snapshotID, idempotencyKey: "client-42", agency: service.agencyA)
            // Another spelling of the same request (the id as a string) is the same request.
            let retry = try await api.request(
                .post, "/v1/accounts", agency: service.agencyA,
                json: ["kind": "paid", "snapshot_id": String(fitness.snapshotID), "name": "Client"],
                headers: [HTTPField.Name("Idempotency-Key")!: "client-42"]
            )
            #expect(retry.status == .created)
            #expect(retry.body == first.body)
            #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let accounts = try await api.request(.get, "/v1/accounts?kind=paid", agency: service.agencyA).decode(AccountList.self)
            #expect(accounts.meta.total == 1)
        }
    }

    /// The same key with another request is refused; keys belong to one agency.
    @Test func keysAreNotReusedAcrossRequestsOrAgencies() async throws {
        let service = try await TestService()
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            _ = try await api.provision("Client", from: fitness.snapshotID, idempotencyKey: "client-42", agency: service.agencyA)
            let changed = try await api.provision("Other client", from: fitness.snapshotID, idempotencyKey: "client-42", agency: service.agencyA)
            #expect(changed.status == .unprocessableContent)
            #expect(changed.errorCode == "idempotency_key_reused")
            // B's "client-42" is its own, and A's snapshot is not B's to use.
            let other = try await api.provision("Client", from: fitness.snapshotID, idempotencyKey: "client-42", agency: service.agencyB)
            #expect(other.status == .notFound)
        }
    }

    /// A key whose account has since been deleted is not silently reused for a second account.
    @Test func keyOfADeletedAccountIsAConflict() async throws {
        let service = try await TestService()
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            let first = try await api.provision("Client", from: fitness.snapshotID, idempotencyKey: "gone", agency: service.agencyA).decode(AccountBody.self)
            _ = try await api.request(.delete, "/v1/accounts/\(first.id)", agency: service.agencyA)
            let retry = try await api.provision("Client", from: fitness.snapshotID, idempotencyKey: "gone", agency: service.agencyA)
            #expect(retry.status == .conflict)
            #expect(retry.errorCode == "idempotency_key_used")
        }
    }

    /// What is kept for a retry is sealed: the password is nowhere in the database file.
    @Test func keptPasswordIsSealed() async throws {
        let service = try await TestService()
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            let account = try await api.provision("Client", from: fitness.snapshotID, idempotencyKey: "sealed", agency: service.agencyA).decode(AccountBody.self)
            let password = try #require(account.credentials?.password)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: service.databasePath))
                + ((try? Data(contentsOf: URL(fileURLWithPath: service.databasePath + "-wal"))) ?? Data())
            #expect(bytes.range(of: Data(password.utf8)) == nil)
        }
    }

    /// A failure half-way (here a trigger that refuses the id sequences, written after the assets) leaves no account and no rows.
    @Test func provisioningIsAllOrNothing() async throws {
        let service = try await TestService()
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            let queue = try DatabaseQueue(path: service.databasePath)
            let counts = { @Sendable () async throws -> [Int] in
                try await queue.read { db in
                    try ["accounts", "account_users", "account_sources", "assets", "asset_references", "id_sequences", "idempotency_keys"].map {
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1
                    }
                }
            }
            let before = try await counts()
            try await queue.write { db in
                try db.execute(sql: """
                    CREATE TRIGGER fail_halfway BEFORE INSERT ON id_sequences
                    WHEN NEW.account_id <> \(fitness.sandboxID) BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                    """)
            }
            let failed = try await api.provision("Doomed", from: fitness.snapshotID, idempotencyKey: "doomed", agency: service.agencyA)
            #expect(failed.status == .internalServerError)
            #expect(try await counts() == before)

            try await queue.write { db in try db.execute(sql: "DROP TRIGGER fail_halfway") }
            let retried = try await api.provision("Doomed", from: fitness.snapshotID, idempotencyKey: "doomed", agency: service.agencyA)
            let account = try retried.decode(AccountBody.self)
            let check = try await api.request(.get, "/v1/accounts/\(account.id)/verify", agency: service.agencyA).decode(AccountCheckBody.self)
            #expect(check.ok)
        }
    }

    /// Bad provisioning requests are refused with a clear error and write nothing.
    @Test func badRequestsAreRefused() async throws {
        let service = try await TestService()
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            let sandboxKind = try await api.provision("Copy", from: fitness.snapshotID, kind: "sandbox", agency: service.agencyA)
            #expect(sandboxKind.status == .unprocessableContent)
            #expect(try await api.provision("Nope", from: 999_999, agency: service.agencyA).status == .notFound)
            let badKey = try await api.provision("Client", from: fitness.snapshotID, idempotencyKey: String(repeating: "k", count: 300), agency: service.agencyA)
            #expect(badKey.status == .unprocessableContent)
            let badFlag = try await api.provision("Client", from: fitness.snapshotID, extra: ["activate_automations": "yes"], agency: service.agencyA)
            #expect(badFlag.status == .unprocessableContent)
            let accounts = try await api.request(.get, "/v1/accounts?kind=paid", agency: service.agencyA).decode(AccountList.self)
            #expect(accounts.meta.total == 0)
        }
    }

    /// A bundle with the parts provisioning changes by design taken out: automation status and image URLs.
    static func normalised(_ bundle: [String: Any]) -> NSDictionary {
        var assets = bundle["assets"] as? [String: [[String: Any]]] ?? [:]
        assets["automations"] = assets["automations"]?.map { $0.filter { $0.key != "status" } }
        assets["templates"] = assets["templates"]?.map { $0.filter { $0.key != "html" } }
        return assets as NSDictionary
    }
}
