import Foundation
import GRDB
import HTTPTypes
import Testing

@Suite("Provisioning: client accounts made from a snapshot")
struct ProvisioningAPITests {
    /// Snapshot → three accounts: each equals the snapshot with every reference intact, automations
    /// arrive inactive, images are placeholders, and the generated credentials log in.
    @Test func threeAccountsFromOneSnapshot() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, sandboxToken) = try await api.fitnessSandbox(agency: service.agencyA)
            let snapshot = try await api.snapshot(sandbox, agency: service.agencyA)
            let snapshotID = try #require(snapshot.json["id"] as? Int)
            let sandboxBundle = try await api.request(.get, "/v1/accounts/\(sandbox)/bundle", agency: service.agencyA)

            var usernames: Set<String> = []
            for name in ["Studio North", "Studio South", "Studio East"] {
                let reply = try await api.provision(name, from: snapshotID, agency: service.agencyA)
                #expect(reply.status == .created)
                let accountID = try #require(reply.json["id"] as? Int)
                #expect(reply.json["kind"] as? String == "paid")
                #expect(reply.json["limits"] as? [String: NSNull] != nil)
                let source = try #require(reply.json["source"] as? [String: Any])
                #expect(source["snapshot_id"] as? Int == snapshotID)
                #expect(source["digest"] as? String == snapshot.json["digest"] as? String)
                let credentials = try #require(reply.json["credentials"] as? [String: String])
                #expect(credentials["login_url"] == "https://snapshots.test/v1/login")
                usernames.insert(credentials["username"]!)

                let check = try await api.request(.get, "/v1/accounts/\(accountID)/verify", agency: service.agencyA)
                #expect(check.json["ok"] as? Bool == true)
                #expect(check.json["equals_snapshot"] as? Bool == true)
                #expect(check.json["references_intact"] as? Bool == true)
                #expect(check.json["assets_checked"] as? Int == 22)
                #expect((check.json["references_checked"] as? Int ?? 0) > 20)

                let login = try await api.request(.post, "/v1/login", json: ["username": credentials["username"]!, "password": credentials["password"]!])
                #expect(login.status == .ok)
                #expect(login.json["account_id"] as? Int == accountID)
                let token = try #require(login.json["token"] as? String)

                // Same graph as the sandbox: the bundles differ only where provisioning says they do.
                let bundle = try await api.request(.get, "/v1/accounts/\(accountID)/bundle", agency: service.agencyA)
                #expect(Self.normalised(bundle.json) == Self.normalised(sandboxBundle.json))
                let automation = try await api.request(.get, "/api/3/automations/1", apiToken: token)
                let body = try #require(automation.json["automation"] as? [String: Any])
                #expect(body["status"] as? String == "inactive")
                #expect((body["trigger"] as? [String: Any])?["tag"] as? String == "2")
                let template = try await api.request(.get, "/api/3/templates/1", apiToken: token)
                let html = try #require((template.json["template"] as? [String: Any])?["html"] as? String)
                #expect(!html.contains("cdn.example.com"))
                #expect(html.contains("<h1>Welcome, %FIRSTNAME%!</h1>"))
                let usedBy = try await api.request(.get, "/api/3/tags/2/references", apiToken: token)
                #expect(!((usedBy.json["usedBy"] as? [Any]) ?? []).isEmpty)
            }
            #expect(usernames.count == 3)
            // The sandbox is untouched by provisioning.
            let automation = try await api.request(.get, "/api/3/automations/1", apiToken: sandboxToken)
            #expect((automation.json["automation"] as? [String: Any])?["status"] as? String == "active")
            let accounts = try await api.request(.get, "/v1/accounts?kind=paid", agency: service.agencyA)
            #expect((accounts.json["meta"] as? [String: Int])?["total"] == 3)
        }
    }

    /// `activate_automations` keeps automations as they were in the sandbox.
    @Test func activationIsOptIn() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let snapshotID = try #require(try await api.snapshot(sandbox, agency: service.agencyA).json["id"] as? Int)
            let reply = try await api.provision("Live", from: snapshotID, extra: ["activate_automations": true], agency: service.agencyA)
            let accountID = try #require(reply.json["id"] as? Int)
            #expect((reply.json["source"] as? [String: Any])?["activate_automations"] as? Bool == true)
            let token = try await api.accountToken(accountID, agency: service.agencyA)
            let automation = try await api.request(.get, "/api/3/automations/1", apiToken: token)
            #expect((automation.json["automation"] as? [String: Any])?["status"] as? String == "active")
            let check = try await api.request(.get, "/v1/accounts/\(accountID)/verify", agency: service.agencyA)
            #expect(check.json["equals_snapshot"] as? Bool == true)

            // Touching the account afterwards shows up as a difference, not as a broken reference.
            _ = try await api.request(.put, "/api/3/tags/1", apiToken: token, json: ["tag": ["tag": "Changed"]])
            let touched = try await api.request(.get, "/v1/accounts/\(accountID)/verify", agency: service.agencyA)
            #expect(touched.json["equals_snapshot"] as? Bool == false)
            #expect(touched.json["differences"] as? [String] == ["tag 1: differs from the snapshot"])
            #expect(touched.json["references_intact"] as? Bool == true)
        }
    }

    /// The same Idempotency-Key and body return the first reply and make no second account; the
    /// same key with another body is refused.
    @Test func retriesAreIdempotent() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let snapshotID = try #require(try await api.snapshot(sandbox, agency: service.agencyA).json["id"] as? Int)
            let first = try await api.provision("Client", from: snapshotID, idempotencyKey: "client-42", agency: service.agencyA)
            #expect(first.status == .created)
            let retry = try await api.provision("Client", from: snapshotID, idempotencyKey: "client-42", agency: service.agencyA)
            #expect(retry.status == .created)
            #expect(retry.body == first.body)
            #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let accounts = try await api.request(.get, "/v1/accounts?kind=paid", agency: service.agencyA)
            #expect((accounts.json["meta"] as? [String: Int])?["total"] == 1)

            let changed = try await api.provision("Other client", from: snapshotID, idempotencyKey: "client-42", agency: service.agencyA)
            #expect(changed.status == .unprocessableContent)
            #expect(changed.errorCode == "idempotency_key_reused")

            // Keys belong to an agency: B's "client-42" is its own (and A's snapshot is not B's).
            let other = try await api.provision("Client", from: snapshotID, idempotencyKey: "client-42", agency: service.agencyB)
            #expect(other.status == .notFound)

            // The stored reply is sealed: the password is nowhere in the database file.
            let password = try #require((first.json["credentials"] as? [String: String])?["password"])
            let bytes = try Data(contentsOf: URL(fileURLWithPath: service.databasePath)) + ((try? Data(contentsOf: URL(fileURLWithPath: service.databasePath + "-wal"))) ?? Data())
            #expect(bytes.range(of: Data(password.utf8)) == nil)
        }
    }

    /// A failure half-way (here a trigger that refuses the reference copy) leaves no account and no rows.
    @Test func provisioningIsAllOrNothing() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let snapshotID = try #require(try await api.snapshot(sandbox, agency: service.agencyA).json["id"] as? Int)
            let queue = try DatabaseQueue(path: service.databasePath)
            let counts = { @Sendable () async throws -> [Int] in
                try await queue.read { db in
                    try ["accounts", "account_users", "account_sources", "assets", "asset_references", "id_sequences", "idempotency_keys"].map {
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)")!
                    }
                }
            }
            let before = try await counts()
            try await queue.write { db in
                try db.execute(sql: """
                    CREATE TRIGGER fail_halfway BEFORE INSERT ON asset_references
                    WHEN NEW.account_id <> \(sandbox) BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                    """)
            }
            let failed = try await api.provision("Doomed", from: snapshotID, idempotencyKey: "doomed", agency: service.agencyA)
            #expect(failed.status == .internalServerError)
            #expect(try await counts() == before)

            try await queue.write { db in try db.execute(sql: "DROP TRIGGER fail_halfway") }
            let retried = try await api.provision("Doomed", from: snapshotID, idempotencyKey: "doomed", agency: service.agencyA)
            #expect(retried.status == .created)
            let accountID = try #require(retried.json["id"] as? Int)
            let check = try await api.request(.get, "/v1/accounts/\(accountID)/verify", agency: service.agencyA)
            #expect(check.json["ok"] as? Bool == true)
        }
    }

    /// Bad provisioning requests are refused with a clear error and write nothing.
    @Test func badRequestsAreRefused() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let snapshotID = try #require(try await api.snapshot(sandbox, agency: service.agencyA).json["id"] as? Int)
            let sandboxKind = try await api.provision("Copy", from: snapshotID, kind: "sandbox", agency: service.agencyA)
            #expect(sandboxKind.status == .unprocessableContent)
            #expect(try await api.provision("Nope", from: 999_999, agency: service.agencyA).status == .notFound)
            let badKey = try await api.provision("Client", from: snapshotID, idempotencyKey: String(repeating: "k", count: 300), agency: service.agencyA)
            #expect(badKey.status == .unprocessableContent)
            let badFlag = try await api.provision("Client", from: snapshotID, extra: ["activate_automations": "yes"], agency: service.agencyA)
            #expect(badFlag.status == .unprocessableContent)
            let accounts = try await api.request(.get, "/v1/accounts?kind=paid", agency: service.agencyA)
            #expect((accounts.json["meta"] as? [String: Int])?["total"] == 0)
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
