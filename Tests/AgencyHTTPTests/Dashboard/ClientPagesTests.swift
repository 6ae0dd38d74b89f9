import AgencyDomain
import AgencyHTTP
import AgencyStorage
import Foundation
import HTTPTypes
import Testing

@Suite("Dashboard: the client's side of the login URL")
struct ClientPagesTests {
    /// The login URL of new credentials is a page a browser can open: a labelled username and
    /// password form.
    @Test func theLoginURLIsASignInPage() async throws {
        let service = try await TestService()
        let page = try await service.browse { try await $0.get("/login") }
        #expect(page.status == .ok)
        #expect(page.html.contains("<label for=\"username\">Username</label>") && page.html.contains("<label for=\"password\">Password</label>"))
        #expect(page.html.contains("action=\"/login\""))
    }

    /// The client signs in with the generated credentials, sees its account and what it holds, and
    /// mints an API token that opens the per-account API.
    @Test func theClientSignsInAndMintsItsToken() async throws {
        let service = try await TestService()
        let fitness = try await service.test { api in try await api.fitnessSnapshot(agency: service.agencyA) }
        let (signedIn, account, token) = try await service.browseTwo { agency, client in
            try await agency.signIn(agency: service.agencyA)
            let credentials = try await agency.addAccount("Gym Berlin", kind: "paid", snapshot: Int64(fitness.snapshotID))
            try await client.get("/login")
            let signedIn = try await client.post("/login", ["username": credentials.code("username") ?? "", "password": credentials.code("password") ?? ""])
            let account = try await client.get("/client")
            return (signedIn, account, try await client.post("/client/tokens"))
        }
        #expect(signedIn.status == .seeOther && signedIn.location == "/client")
        let cookie = signedIn.setCookies.first { $0.hasPrefix("client_session=") } ?? ""
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
        #expect(account.status == .ok && account.html.contains("<h1>Gym Berlin</h1>"))
        #expect(account.html.contains("Images to upload") && account.html.contains("templates</li>"))
        #expect(token.status == .created)
        let apiToken = try #require(token.code("token"))
        let accountID = try await service.database.accountID(forTokenDigest: Secrets.digest(ofToken: apiToken))
        #expect(accountID != nil)
    }

    /// A wrong password and an unknown username get the same message and status; no session.
    @Test func wrongCredentialsGetOneMessage() async throws {
        let service = try await TestService()
        let (wrongPassword, wrongUser, cookies) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            let credentials = try await browser.addAccount("Gym", kind: "trial")
            try await browser.get("/login")
            let wrongPassword = try await browser.post("/login", ["username": credentials.code("username") ?? "", "password": "not-it"])
            let wrongUser = try await browser.post("/login", ["username": "nobody-here", "password": "not-it"])
            return (wrongPassword, wrongUser, browser.cookies)
        }
        #expect(wrongPassword.status == .unauthorized && wrongUser.status == .unauthorized)
        #expect(wrongPassword.html.contains("The username or the password is wrong."))
        #expect(wrongUser.html.contains("The username or the password is wrong."))
        #expect(cookies["client_session"] == nil)
    }

    /// A client session opens only its own account: the agency's dashboard sends it to sign in.
    @Test func aClientSessionDoesNotOpenTheAgencyDashboard() async throws {
        let service = try await TestService()
        let (dashboard, client) = try await service.browseTwo { agency, browser in
            try await agency.signIn(agency: service.agencyA)
            let credentials = try await agency.addAccount("Gym", kind: "trial")
            try await browser.get("/login")
            try await browser.post("/login", ["username": credentials.code("username") ?? "", "password": credentials.code("password") ?? ""])
            // The client's session id, offered as the agency's cookie.
            browser.setCookie("agency_session", browser.cookies["client_session"])
            return (try await browser.get("/dashboard"), try await browser.get("/client"))
        }
        #expect(dashboard.status == .seeOther && dashboard.location == "/dashboard/sign-in")
        #expect(client.status == .ok)
    }

    /// "Log in" on a sandbox opens its client page, and the agency stays signed in.
    @Test func logInOpensTheSandboxAsItsUserSeesIt() async throws {
        let service = try await TestService()
        let (redirect, page, dashboard) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            let sandbox = try await browser.addAccount("Workshop", kind: "sandbox")
            try await browser.get("/dashboard")
            let redirect = try await browser.post("/dashboard/accounts/\(sandbox.firstID(after: "/dashboard/accounts/") ?? 0)/log-in")
            return (redirect, try await browser.get("/client"), try await browser.get("/dashboard"))
        }
        #expect(redirect.status == .seeOther && redirect.location == "/client")
        #expect(page.status == .ok && page.html.contains("<h1>Workshop</h1>"))
        #expect(dashboard.status == .ok)
    }

    /// Client sign-out ends the client's session; the sign-in page shows again.
    @Test func clientSignOutEndsTheSession() async throws {
        let service = try await TestService()
        let (out, after) = try await service.browseTwo { agency, browser in
            try await agency.signIn(agency: service.agencyA)
            let credentials = try await agency.addAccount("Gym", kind: "trial")
            try await browser.get("/login")
            try await browser.post("/login", ["username": credentials.code("username") ?? "", "password": credentials.code("password") ?? ""])
            let cookie = browser.cookies["client_session"]
            try await browser.get("/client")
            let out = try await browser.post("/client/sign-out")
            browser.setCookie("client_session", cookie)
            return (out, try await browser.get("/client"))
        }
        #expect(out.status == .seeOther && out.location == "/login")
        #expect(after.status == .seeOther && after.location == "/login")
    }
}
