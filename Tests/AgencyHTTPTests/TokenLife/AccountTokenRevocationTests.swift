import AgencyAPI
import AgencyDomain
import Foundation
import Testing

@Suite("Agency API: listing and revoking per-account tokens")
struct AccountTokenRevocationTests {
    /// The list shows ids and dates, never a token or its digest.
    @Test func theListShowsNoSecrets() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, first) = try await api.sandboxWithToken(agency: service.agencyA)
            let created = try await api.request(.post, "/v1/accounts/\(id)/tokens", agency: service.agencyA)
            let second = try created.decode(TokenReply.self)
            #expect(try await api.request(.get, "/api/3/contacts", apiToken: first).status == .ok)

            let reply = try await api.request(.get, "/v1/accounts/\(id)/tokens", agency: service.agencyA)
            #expect(reply.status == .ok)
            let list = try reply.decode(AccountTokenList.self)
            #expect(list.account_id == Int64(id))
            #expect(list.tokens.count == 2)
            #expect(list.tokens.last?.id == second.id)
            #expect(list.tokens.first?.last_used_at.value != nil)   // the first token opened /api/3 above
            #expect(list.tokens.last?.last_used_at.value == nil)
            #expect(reply.text.contains(#""last_used_at":null"#))
            for token in [first, second.token] {
                #expect(!reply.text.contains(token))
                let digest = Secrets.digest(ofToken: token).map { String(format: "%02x", $0) }.joined()
                #expect(!reply.text.lowercased().contains(digest))
                #expect(!reply.text.contains(Data(Secrets.digest(ofToken: token)).base64EncodedString()))
            }
            for token in (reply.json["tokens"] as? [[String: Any]]) ?? [] {
                #expect(Set(token.keys) == ["id", "created_at", "last_used_at"])
            }
        }
    }

    /// Revoking one token: the next request with it is refused; the account's other token works.
    @Test func revokingOneLeavesTheOthersWorking() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, first) = try await api.sandboxWithToken(agency: service.agencyA)
            let second = try await api.request(.post, "/v1/accounts/\(id)/tokens", agency: service.agencyA).decode(TokenReply.self)
            // Both are in the token cache before the revocation.
            #expect(try await api.request(.get, "/api/3/contacts", apiToken: first).status == .ok)
            #expect(try await api.request(.get, "/api/3/contacts", apiToken: second.token).status == .ok)

            let revoked = try await api.request(.delete, "/v1/accounts/\(id)/tokens/\(try #require(second.id))", agency: service.agencyA)
            #expect(revoked.status == .noContent)
            let refused = try await api.request(.get, "/api/3/contacts", apiToken: second.token)
            #expect(refused.status == .unauthorized)
            #expect(try await api.request(.get, "/api/3/contacts", apiToken: first).status == .ok)
            let list = try await api.request(.get, "/v1/accounts/\(id)/tokens", agency: service.agencyA).decode(AccountTokenList.self)
            #expect(list.tokens.map(\.id) != [second.id ?? 0] && list.tokens.count == 1)

            let again = try await api.request(.delete, "/v1/accounts/\(id)/tokens/\(second.id ?? 0)", agency: service.agencyA)
            #expect(again.status == .notFound && again.errorCode == "not_found")
        }
    }

    /// A token id is revoked only through its own account: another account of the same agency is 404.
    @Test func aTokenIsRevokedOnlyThroughItsAccount() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (one, tokenOne) = try await api.sandboxWithToken(agency: service.agencyA)
            let (two, _) = try await api.sandboxWithToken(agency: service.agencyA)
            let list = try await api.request(.get, "/v1/accounts/\(one)/tokens", agency: service.agencyA).decode(AccountTokenList.self)
            let tokenID = try #require(list.tokens.first?.id)
            let wrongAccount = try await api.request(.delete, "/v1/accounts/\(two)/tokens/\(tokenID)", agency: service.agencyA)
            #expect(wrongAccount.status == .notFound)
            for path in ["/v1/accounts/\(one)/tokens/0", "/v1/accounts/\(one)/tokens/x", "/v1/accounts/999/tokens/\(tokenID)"] {
                #expect(try await api.request(.delete, path, agency: service.agencyA).status == .notFound, "\(path)")
            }
            #expect(try await api.request(.get, "/api/3/contacts", apiToken: tokenOne).status == .ok)
        }
    }

    /// Many requests with a token run while it is revoked: once the DELETE has returned, no request
    /// started afterwards gets in, although the token was in the cache.
    @Test func aRevokedTokenIsRefusedUnderConcurrentRequests() async throws {
        let service = try await TestService()
        let outcome = try await service.test { api in
            let (id, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let tokenID = try #require(try await api.request(.get, "/v1/accounts/\(id)/tokens", agency: service.agencyA)
                .decode(AccountTokenList.self).tokens.first?.id)
            return try await ConcurrentRevocation.run(readers: 8, request: {
                try await api.request(.get, "/api/3/contacts", apiToken: token).status
            }, revoke: {
                let status = try await api.request(.delete, "/v1/accounts/\(id)/tokens/\(tokenID)", agency: service.agencyA).status
                #expect(status == .noContent)
            })
        }
        #expect(outcome.succeededBefore > 0)
        #expect(outcome.succeededAfter == 0)
        #expect(outcome.refusedAfter > 0)
    }

    /// Deleting an account ends its tokens from the next request on, also under concurrent requests
    /// (the cache is emptied after the deletion commits).
    @Test func aDeletedAccountsTokenIsRefusedUnderConcurrentRequests() async throws {
        let service = try await TestService()
        let outcome = try await service.test { api in
            let (id, token) = try await api.sandboxWithToken(agency: service.agencyA)
            return try await ConcurrentRevocation.run(readers: 8, request: {
                try await api.request(.get, "/api/3/contacts", apiToken: token).status
            }, revoke: {
                let status = try await api.request(.delete, "/v1/accounts/\(id)", agency: service.agencyA).status
                #expect(status == .noContent)
            })
        }
        #expect(outcome.succeededAfter == 0)
        #expect(outcome.refusedAfter > 0)
    }
}
