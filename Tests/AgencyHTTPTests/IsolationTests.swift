import Foundation
import Testing

@Suite("Agency API: one agency never sees another's accounts")
struct IsolationTests {
    /// Every endpoint that takes an account id answers 404 for another agency's account, and changes nothing.
    @Test func anotherAgencysAccountIsNotFoundEverywhere() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, _) = try await api.createSandbox("A's sandbox", agency: service.agencyA)
            let attempts = [
                try await api.request(.get, "/v1/accounts/\(id)", agency: service.agencyB),
                try await api.request(.patch, "/v1/accounts/\(id)", agency: service.agencyB, json: ["name": "mine now"]),
                try await api.request(.post, "/v1/accounts/\(id)/tokens", agency: service.agencyB),
                try await api.request(.delete, "/v1/accounts/\(id)", agency: service.agencyB),
            ]
            for reply in attempts {
                #expect(reply.status == .notFound)
                #expect(reply.errorCode == "not_found")
            }
            let listB = try await api.request(.get, "/v1/accounts", agency: service.agencyB)
            #expect((listB.json["accounts"] as? [Any])?.isEmpty == true)
            let stillThere = try await api.request(.get, "/v1/accounts/\(id)", agency: service.agencyA)
            #expect(stillThere.json["name"] as? String == "A's sandbox")
        }
    }

    /// Another agency can neither list an account's tokens nor revoke one, whatever ids it tries, and
    /// rotating its own token changes nothing of the first agency's.
    @Test func anotherAgencyCannotListOrRevokeTokens() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let list = try await api.request(.get, "/v1/accounts/\(id)/tokens", agency: service.agencyA)
            let tokenID = try #require((list.json["tokens"] as? [[String: Any]])?.first?["id"] as? Int)
            let (idB, _) = try await api.sandboxWithToken(agency: service.agencyB)
            let attempts = [
                try await api.request(.get, "/v1/accounts/\(id)/tokens", agency: service.agencyB),
                try await api.request(.delete, "/v1/accounts/\(id)/tokens/\(tokenID)", agency: service.agencyB),
                // B's own account id with A's token id: still not found.
                try await api.request(.delete, "/v1/accounts/\(idB)/tokens/\(tokenID)", agency: service.agencyB),
            ]
            for reply in attempts {
                #expect(reply.status == .notFound)
                #expect(reply.errorCode == "not_found")
                #expect(!reply.text.contains("created_at"))
            }
            #expect(try await api.request(.post, "/v1/agency/token/rotate", agency: service.agencyB).status == .created)
            #expect(try await api.request(.get, "/api/3/contacts", apiToken: token).status == .ok)
            #expect(try await api.request(.get, "/v1/accounts/\(id)/tokens", agency: service.agencyA).json["tokens"] as? [Any] != nil)
        }
    }

    /// A per-account token opens only its own account: the same contact id elsewhere is another contact.
    @Test func accountTokensAreScopedToTheirAccount() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, tokenA) = try await api.sandboxWithToken(agency: service.agencyA)
            let (_, tokenB) = try await api.sandboxWithToken(agency: service.agencyB)
            _ = try await api.createContact("only-in-a@example.com", apiToken: tokenA)
            let fromB = try await api.request(.get, "/api/3/contacts/1", apiToken: tokenB)
            #expect(fromB.status == .notFound)
            let listB = try await api.request(.get, "/api/3/contacts", apiToken: tokenB)
            #expect((listB.json["meta"] as? [String: String])?["total"] == "0")
        }
    }

    /// No token, a malformed header or an unknown token: 401 with the JSON error shape.
    @Test func missingOrWrongTokensAre401() async throws {
        let service = try await TestService()
        try await service.test { api in
            let none = try await api.request(.get, "/v1/accounts")
            let wrong = try await api.request(.get, "/v1/accounts", agency: "agency_not-a-real-token")
            let basic = try await api.request(.get, "/v1/accounts", headers: [.authorization: "Basic abc"])
            let accountTokenAsAgency = try await api.request(.get, "/v1/accounts", agency: try await api.sandboxWithToken(agency: service.agencyA).apiToken)
            for reply in [none, wrong, basic, accountTokenAsAgency] {
                #expect(reply.status == .unauthorized)
                #expect(reply.errorCode == "unauthorized")
            }
            let v3 = try await api.request(.get, "/api/3/contacts", apiToken: "acct_wrong")
            #expect(v3.status == .unauthorized)
            #expect(v3.json["message"] as? String != nil)
            let agencyTokenAsAccount = try await api.request(.get, "/api/3/contacts", apiToken: service.agencyA)
            #expect(agencyTokenAsAccount.status == .unauthorized)
        }
    }
}
