import AgencyDomain
import AgencyHTTP
import Foundation
import GRDB
import HTTPTypes
import Testing

@Suite("Dashboard: signing in with the agency token")
struct DashboardSignInTests {
    /// Given no session, when the dashboard is opened, then the browser is sent to the sign-in page.
    @Test func withoutSessionTheDashboardLeadsToSignIn() async throws {
        let service = try await TestService()
        let (root, dashboard, account) = try await service.browse { browser in
            (try await browser.get("/"), try await browser.get("/dashboard"), try await browser.get("/dashboard/accounts/1"))
        }
        #expect(root.status == .seeOther && root.location == "/dashboard")
        #expect(dashboard.status == .seeOther && dashboard.location == "/dashboard/sign-in")
        #expect(account.status == .seeOther && account.location == "/dashboard/sign-in")
    }

    /// The sign-in page has a labelled password field for the token and the restrictive headers.
    @Test func signInPageIsAFormWithSecurityHeaders() async throws {
        let service = try await TestService()
        let page = try await service.browse { try await $0.get("/dashboard/sign-in") }
        #expect(page.status == .ok)
        #expect(page.html.contains("<label for=\"token\">Agency token</label>"))
        #expect(page.html.contains("id=\"token\" name=\"token\" type=\"password\""))
        #expect(page.headers[.contentType] == "text/html; charset=utf-8")
        let csp = page.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
        #expect(csp.contains("default-src 'self'") && csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"))
        #expect(!csp.contains("unsafe-inline"))
        #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
        #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
        #expect(page.headers[.cacheControl] == "no-store")
        #expect(!page.html.contains("<script>"), "no inline script")
    }

    /// A wrong token gets the form again, 401, with the message next to the field; no session.
    @Test func wrongTokenShowsTheFormWithAMessage() async throws {
        let service = try await TestService()
        let (page, cookies) = try await service.browse { browser in
            try await browser.get("/dashboard/sign-in")
            return (try await browser.post("/dashboard/sign-in", ["token": "agency_wrong"]), browser.cookies)
        }
        #expect(page.status == .unauthorized)
        #expect(page.html.contains("aria-describedby=\"token-error\""))
        #expect(page.html.contains("id=\"token-error\">This agency token is not known to this service."))
        #expect(cookies["agency_session"] == nil)
    }

    /// The right token starts a session: an HttpOnly, SameSite=Strict cookie on Path=/, Secure
    /// because the public URL is https; the database keeps only the digest of its value.
    @Test func rightTokenStartsASessionStoredAsADigest() async throws {
        let service = try await TestService()
        let (page, cookie, list) = try await service.browse { browser in
            let page = try await browser.signIn(agency: service.agencyA)
            return (page, browser.cookies["agency_session"] ?? "", try await browser.get("/dashboard"))
        }
        #expect(page.status == .seeOther && page.location == "/dashboard")
        let header = page.setCookies.first { $0.hasPrefix("agency_session=") } ?? ""
        #expect(header.contains("HttpOnly") && header.contains("SameSite=Strict") && header.contains("Path=/") && header.contains("Secure"))
        #expect(list.status == .ok && list.html.contains("<h1>Accounts</h1>"))
        let stored = try await DatabaseQueue(path: service.databasePath).read { db in try Data.fetchAll(db, sql: "SELECT digest FROM dashboard_sessions") }
        #expect(stored == [Data(Secrets.digest(ofToken: cookie))])
    }

    /// With an http public URL the cookie cannot be Secure (the browser would never send it back).
    @Test func httpPublicURLGivesACookieWithoutSecure() async throws {
        let service = try await TestService()
        let settings = ServiceSettingsOverride(settings: ServiceSettings(publicURL: "http://127.0.0.1:8080", bcryptCost: 10))
        let page = try await service.browse(settings: settings) { try await $0.signIn(agency: service.agencyA) }
        let header = page.setCookies.first { $0.hasPrefix("agency_session=") } ?? ""
        #expect(header.contains("HttpOnly") && header.contains("SameSite=Strict"))
        #expect(!header.contains("Secure"))
    }

    /// Signing out ends the session on the server: the old cookie opens nothing afterwards.
    @Test func signOutEndsTheSession() async throws {
        let service = try await TestService()
        let (out, again) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            let cookie = browser.cookies["agency_session"]
            try await browser.get("/dashboard")
            let out = try await browser.post("/dashboard/sign-out")
            browser.setCookie("agency_session", cookie)
            return (out, try await browser.get("/dashboard"))
        }
        #expect(out.status == .seeOther && out.location == "/dashboard/sign-in")
        #expect(again.status == .seeOther && again.location == "/dashboard/sign-in")
    }

    /// A sign-in form without its CSRF token is refused, even with the right agency token.
    @Test func signInWithoutCSRFTokenIsRefused() async throws {
        let service = try await TestService()
        let (page, cookies) = try await service.browse { browser in
            try await browser.get("/dashboard/sign-in")
            return (try await browser.post("/dashboard/sign-in", ["token": service.agencyA], csrf: ""), browser.cookies)
        }
        #expect(page.status == .forbidden)
        #expect(cookies["agency_session"] == nil)
    }
}
