import AgencyAPI
import AgencyDomain
import AgencyHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Dashboard: account tokens, idle sessions, rotation")
struct DashboardTokenLifeTests {
    /// The account page lists the tokens (no secret) with a Revoke button each; revoking one (a form
    /// with the CSRF token) refuses it at once and leaves the other working.
    @Test func theAccountPageRevokesOneToken() async throws {
        let service = try await TestService()
        let (id, first, second) = try await service.test { api in
            let (id, first) = try await api.sandboxWithToken(agency: service.agencyA)
            let second = try await api.request(.post, "/v1/accounts/\(id)/tokens", agency: service.agencyA).decode(TokenReply.self)
            #expect(try await api.request(.get, "/api/3/contacts", apiToken: second.token).status == .ok)
            return (id, first, second)
        }
        let secondID = try #require(second.id)
        let (page, noCSRF, revoked, after) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            let page = try await browser.get("/dashboard/accounts/\(id)")
            let noCSRF = try await browser.post("/dashboard/accounts/\(id)/tokens/\(secondID)/revoke", csrf: "")
            let revoked = try await browser.post("/dashboard/accounts/\(id)/tokens/\(secondID)/revoke")
            return (page, noCSRF, revoked, try await browser.get(revoked.location ?? ""))
        }
        #expect(page.status == .ok)
        #expect(page.html.contains("action=\"/dashboard/accounts/\(id)/tokens/\(secondID)/revoke\""))
        #expect(page.html.contains("Revoke token \(secondID)"))
        #expect(!page.html.contains(first) && !page.html.contains(second.token))
        #expect(noCSRF.status == .forbidden)
        #expect(revoked.status == .seeOther && revoked.location == "/dashboard/accounts/\(id)?done=token-revoked")
        #expect(after.html.contains("The API token was revoked"))
        #expect(!after.html.contains("Revoke token \(secondID)"))
        let statuses = try await service.test { api in
            [try await api.request(.get, "/api/3/contacts", apiToken: second.token).status, try await api.request(.get, "/api/3/contacts", apiToken: first).status]
        }
        #expect(statuses == [.unauthorized, .ok])
    }

    /// Another agency's manager can neither see nor revoke the tokens of A's account.
    @Test func anotherAgencyCannotRevokeFromTheDashboard() async throws {
        let service = try await TestService()
        let (id, token) = try await service.test { api in try await api.sandboxWithToken(agency: service.agencyA) }
        let tokenID = try #require(try await service.test { api in
            try await api.request(.get, "/v1/accounts/\(id)/tokens", agency: service.agencyA).decode(AccountTokenList.self).tokens.first?.id
        })
        let (page, revoke) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyB)
            try await browser.get("/dashboard")
            return (try await browser.get("/dashboard/accounts/\(id)"), try await browser.post("/dashboard/accounts/\(id)/tokens/\(tokenID)/revoke"))
        }
        #expect(page.status == .notFound && !page.html.contains("Revoke token"))
        #expect(revoke.status == .notFound)
        let status = try await service.test { api in try await api.request(.get, "/api/3/contacts", apiToken: token).status }
        #expect(status == .ok)
    }

    /// A session unused for the idle time ends (the browser goes to sign-in); one in use lives on.
    @Test func anIdleSessionEnds() async throws {
        let service = try await TestService()
        let clock = TestClock()
        let settings = ServiceSettingsOverride(settings: clock.settings(sessionIdleTimeout: 600))
        let (kept, ended) = try await service.browse(settings: settings) { browser in
            try await browser.signIn(agency: service.agencyA)
            clock.advance(500)
            try await browser.get("/dashboard")
            clock.advance(500)   // 1,000 s from sign-in, 500 s since the last page
            let kept = try await browser.get("/dashboard")
            clock.advance(601)
            return (kept, try await browser.get("/dashboard"))
        }
        #expect(kept.status == .ok)
        #expect(ended.status == .seeOther && ended.location == "/dashboard/sign-in")
    }

    /// However busy, a session ends 8 hours after sign-in.
    @Test func aBusySessionStillEndsAfterEightHours() async throws {
        let service = try await TestService()
        let clock = TestClock()
        let settings = ServiceSettingsOverride(settings: clock.settings(sessionIdleTimeout: 1800))
        let last = try await service.browse(settings: settings) { browser in
            try await browser.signIn(agency: service.agencyA)
            for _ in 0..<23 {
                clock.advance(1200)
                #expect(try await browser.get("/dashboard").status == .ok)
            }
            clock.advance(1201)   // 23 × 20 minutes + 1,201 s: 8 hours and a second
            return try await browser.get("/dashboard")
        }
        #expect(last.status == .seeOther && last.location == "/dashboard/sign-in")
    }

    /// Rotating the agency token ends the agency's dashboard sessions at once.
    @Test func rotationEndsTheDashboardSession() async throws {
        let service = try await TestService()
        let app = Application(router: service.router())
        let (before, after) = try await app.test(.router) { client in
            let browser = DashboardBrowser(client: client)
            try await browser.signIn(agency: service.agencyA)
            let before = try await browser.get("/dashboard")
            let rotated = try await APIClient(client: client).request(.post, "/v1/agency/token/rotate", agency: service.agencyA)
            #expect(rotated.status == .created)
            return (before, try await browser.get("/dashboard"))
        }
        #expect(before.status == .ok)
        #expect(after.status == .seeOther && after.location == "/dashboard/sign-in")
    }
}
