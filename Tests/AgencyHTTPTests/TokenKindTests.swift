import Foundation
import Testing

/// A 401 says which kind of token the API expects, so a token pasted into the wrong place is found at once.
@Suite("Tokens of the wrong kind")
struct TokenKindTests {
    @Test func accountTokenOnAgencyAPISaysWhichKindIsExpected() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let reply = try await api.request(.get, "/v1/accounts", agency: token)
            #expect(reply.status == .unauthorized)
            #expect(reply.errorCode == "unauthorized")
            #expect(reply.error?.message.contains("agency token (agency_…)") == true)
        }
    }

    @Test func agencyTokenOnPerAccountAPISaysWhichKindIsExpected() async throws {
        let service = try await TestService()
        try await service.test { api in
            let reply = try await api.request(.get, "/api/3/tags", apiToken: service.agencyA)
            #expect(reply.status == .unauthorized)
            #expect((reply.json["message"] as? String)?.contains("per-account token (acct_…)") == true)
        }
    }

    /// An unknown agency token points at the likely cause: another database file.
    @Test func unknownAgencyTokenHintsAtAnotherDatabase() async throws {
        let service = try await TestService()
        try await service.test { api in
            let reply = try await api.request(.get, "/v1/accounts", agency: "agency_not-a-real-token")
            #expect(reply.status == .unauthorized)
            #expect(reply.error?.message.contains("another database") == true)
        }
    }
}
