import Foundation
import Testing

@Suite("Agency API: accounts")
struct AccountsAPITests {
    /// A new sandbox comes back with its limits, empty usage and credentials shown once.
    @Test func createSandboxShowsLimitsUsageAndCredentialsOnce() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, reply) = try await api.createSandbox("Fitness Studio", agency: service.agencyA)
            #expect(reply.status == .created)
            #expect(reply.json["kind"] as? String == "sandbox")
            #expect(reply.json["name"] as? String == "Fitness Studio")
            #expect(reply.json["limits"] as? [String: Int] == ["contacts": 100, "sends": 100])
            #expect(reply.json["usage"] as? [String: Int] == ["contacts": 0, "sends": 0])
            #expect((reply.json["created_at"] as? String)?.hasSuffix("Z") == true)
            let credentials = try #require(reply.json["credentials"] as? [String: String])
            #expect(credentials["login_url"] == "https://snapshots.test/login")
            #expect(credentials["username"]?.hasPrefix("fitness-studio-") == true)
            #expect((credentials["password"]?.count ?? 0) >= 20)

            let shown = try await api.request(.get, "/v1/accounts/\(id)", agency: service.agencyA)
            #expect(shown.status == .ok)
            #expect(shown.json["credentials"] == nil)
            #expect(!shown.text.contains(credentials["password"]!))
        }
    }

    /// Trial and paid accounts are created blank and unlimited; "sandbox" is refused on this endpoint.
    @Test func createClientAccounts() async throws {
        let service = try await TestService()
        try await service.test { api in
            for kind in ["trial", "paid"] {
                let reply = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "Acme", "kind": kind])
                #expect(reply.status == .created)
                #expect(reply.json["kind"] as? String == kind)
                let limits = try #require(reply.json["limits"] as? [String: Any])
                #expect(limits["contacts"] is NSNull && limits["sends"] is NSNull)
                #expect(reply.json["credentials"] != nil)
            }
            let sandbox = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "X", "kind": "sandbox"])
            #expect(sandbox.status == .unprocessableContent)
            #expect((sandbox.json["error"] as? [String: String])?["message"]?.contains("agency sandbox create") == true)
            let unknown = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "X", "kind": "gold"])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.json["error"] as? [String: String] == [
                "code": "invalid", "field": "kind", "message": "'gold' is not a kind of client account; use trial or paid.",
            ])
            let blank = try await api.request(.post, "/v1/sandboxes", agency: service.agencyA, json: ["name": "   "])
            #expect(blank.status == .unprocessableContent)
            #expect(blank.errorCode == "invalid")
        }
    }

    /// The list is newest first, filters by kind and pages with limit/offset.
    @Test func listFiltersAndPages() async throws {
        let service = try await TestService()
        try await service.test { api in
            for name in ["S1", "S2", "S3"] { _ = try await api.createSandbox(name, agency: service.agencyA) }
            _ = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "Client", "kind": "paid"])

            let all = try await api.request(.get, "/v1/accounts", agency: service.agencyA)
            #expect((all.json["accounts"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Client", "S3", "S2", "S1"])
            #expect((all.json["meta"] as? [String: Int])?["total"] == 4)

            let sandboxes = try await api.request(.get, "/v1/accounts?kind=sandbox&limit=2&offset=1", agency: service.agencyA)
            #expect((sandboxes.json["accounts"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["S2", "S1"])
            #expect(sandboxes.json["meta"] as? [String: Int] == ["total": 3, "limit": 2, "offset": 1])

            let badKind = try await api.request(.get, "/v1/accounts?kind=gold", agency: service.agencyA)
            #expect(badKind.status == .unprocessableContent)
        }
    }

    /// A sandbox is never upgraded in place; a client account never becomes a sandbox; trial to paid is fine.
    @Test func kindConversionsAreRefusedWith409() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandboxID, _) = try await api.createSandbox("Workshop", agency: service.agencyA)
            let upgrade = try await api.request(.patch, "/v1/accounts/\(sandboxID)", agency: service.agencyA, json: ["kind": "paid"])
            #expect(upgrade.status == .conflict)
            #expect(upgrade.errorCode == "account_kind_conversion")
            #expect(upgrade.text.contains("snapshot"))

            let trial = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "Acme", "kind": "trial"])
            let trialID = try #require(trial.json["id"] as? Int)
            let toSandbox = try await api.request(.patch, "/v1/accounts/\(trialID)", agency: service.agencyA, json: ["kind": "sandbox"])
            #expect(toSandbox.status == .conflict)
            #expect(toSandbox.errorCode == "account_kind_conversion")

            let toPaid = try await api.request(.patch, "/v1/accounts/\(trialID)", agency: service.agencyA, json: ["kind": "paid", "name": "Acme Gym"])
            #expect(toPaid.status == .ok)
            #expect(toPaid.json["kind"] as? String == "paid")
            #expect(toPaid.json["name"] as? String == "Acme Gym")

            let stillSandbox = try await api.request(.get, "/v1/accounts/\(sandboxID)", agency: service.agencyA)
            #expect(stillSandbox.json["kind"] as? String == "sandbox")
        }
    }

    /// Deleting an account removes it and its contacts; its tokens stop working.
    @Test func deleteAccount() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, apiToken) = try await api.sandboxWithToken(agency: service.agencyA)
            _ = try await api.createContact("a@example.com", apiToken: apiToken)
            let deleted = try await api.request(.delete, "/v1/accounts/\(id)", agency: service.agencyA)
            #expect(deleted.status == .noContent)
            #expect(try await api.request(.get, "/v1/accounts/\(id)", agency: service.agencyA).status == .notFound)
            #expect(try await api.request(.delete, "/v1/accounts/\(id)", agency: service.agencyA).status == .notFound)
            #expect(try await api.request(.get, "/api/3/contacts", apiToken: apiToken).status == .unauthorized)
        }
    }
}
