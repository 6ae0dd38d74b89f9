import AgencyAPI
import AgencyDomain
import Foundation
import GRDB
import Testing

@Suite("Agency API: rotating the agency token")
struct AgencyTokenRotationTests {
    /// Without a grace period the old token is refused by the very next request; the new one works.
    @Test func rotationEndsTheOldTokenAtOnce() async throws {
        let service = try await TestService()
        try await service.test { api in
            let reply = try await api.request(.post, "/v1/agency/token/rotate", agency: service.agencyA)
            #expect(reply.status == .created)
            let rotation = try reply.decode(TokenRotationReply.self)
            #expect(rotation.token.hasPrefix("agency_") && rotation.token != service.agencyA)
            #expect(rotation.previous_token_expires_at.value == nil)
            #expect(reply.text.contains(#""previous_token_expires_at":null"#))
            let old = try await api.request(.get, "/v1/accounts", agency: service.agencyA)
            #expect(old.status == .unauthorized && old.errorCode == "unauthorized")
            #expect(try await api.request(.get, "/v1/accounts", agency: rotation.token).status == .ok)
            // Only the digest of the new token is stored.
            let stored = try await DatabaseQueue(path: service.databasePath).read { db in
                try Data.fetchAll(db, sql: "SELECT digest FROM agency_tokens WHERE agency_id = ?", arguments: [rotation.agency_id])
            }
            #expect(stored == [Data(Secrets.digest(ofToken: rotation.token))])
        }
    }

    /// With `grace_seconds` both tokens work until the grace period is over; then only the new one.
    @Test func withAGracePeriodBothWorkUntilItEnds() async throws {
        let service = try await TestService()
        let clock = TestClock()
        try await service.test(settings: clock.settings()) { api in
            let reply = try await api.request(.post, "/v1/agency/token/rotate", agency: service.agencyA, json: ["grace_seconds": 3600])
            #expect(reply.status == .created)
            let rotation = try reply.decode(TokenRotationReply.self)
            #expect(rotation.previous_token_expires_at.value != nil)
            clock.advance(3500)
            #expect(try await api.request(.get, "/v1/accounts", agency: service.agencyA).status == .ok)
            #expect(try await api.request(.get, "/v1/accounts", agency: rotation.token).status == .ok)
            clock.advance(101)
            // The old token is in the cache from the request above; the cache checks its end too.
            #expect(try await api.request(.get, "/v1/accounts", agency: service.agencyA).status == .unauthorized)
            #expect(try await api.request(.get, "/v1/accounts", agency: rotation.token).status == .ok)
        }
    }

    /// A grace period that is not a whole number from 0 to 30 days is refused, and nothing changes.
    @Test func aWrongGracePeriodIsRefused() async throws {
        let service = try await TestService()
        try await service.test { api in
            for grace: Any in [-1, 2_592_001, 1.5, "1h"] {
                let reply = try await api.request(.post, "/v1/agency/token/rotate", agency: service.agencyA, json: ["grace_seconds": grace])
                #expect(reply.status == .unprocessableContent, "\(grace)")
                #expect(reply.error?.field == "grace_seconds")
            }
            let notJSON = try await api.request(.post, "/v1/agency/token/rotate", agency: service.agencyA, raw: "grace=1")
            #expect(notJSON.status == .badRequest && notJSON.errorCode == "malformed_json")
            #expect(try await api.request(.get, "/v1/accounts", agency: service.agencyA).status == .ok)
        }
    }

    /// Rotating needs a working agency token; an account token or none is 401.
    @Test func rotationNeedsTheAgencyToken() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, accountToken) = try await api.sandboxWithToken(agency: service.agencyA)
            #expect(try await api.request(.post, "/v1/agency/token/rotate").status == .unauthorized)
            #expect(try await api.request(.post, "/v1/agency/token/rotate", agency: accountToken).status == .unauthorized)
        }
    }

    /// One agency rotating its token leaves the other agency's token working, and the new token
    /// opens only its own agency's accounts.
    @Test func rotationTouchesOnlyItsOwnAgency() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (idA, _) = try await api.createSandbox("A's", agency: service.agencyA)
            let rotation = try await api.request(.post, "/v1/agency/token/rotate", agency: service.agencyB).decode(TokenRotationReply.self)
            #expect(try await api.request(.get, "/v1/accounts/\(idA)", agency: service.agencyA).status == .ok)
            #expect(try await api.request(.get, "/v1/accounts/\(idA)", agency: rotation.token).status == .notFound)
        }
    }

    /// Many requests with the old token run while it is rotated out: once the rotation has returned,
    /// no request started afterwards gets in.
    @Test func theOldTokenIsRefusedUnderConcurrentRequests() async throws {
        let service = try await TestService()
        let outcome = try await service.test { api in
            try await ConcurrentRevocation.run(readers: 8, request: {
                try await api.request(.get, "/v1/accounts", agency: service.agencyA).status
            }, revoke: {
                let status = try await api.request(.post, "/v1/agency/token/rotate", agency: service.agencyA).status
                #expect(status == .created)
            })
        }
        #expect(outcome.succeededBefore > 0)
        #expect(outcome.succeededAfter == 0)
        #expect(outcome.refusedAfter > 0)
    }
}
