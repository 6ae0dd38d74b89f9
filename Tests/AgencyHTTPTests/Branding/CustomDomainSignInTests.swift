import AgencyAPI
import AgencyDomain
import AgencyHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing

@Suite("Custom domains: the agency's name on its clients' sign-in page")
struct CustomDomainSignInTests {
    static let host = "app.northwind.example"

    /// A with a name, accent and logo and an active domain; an account of A on it and one of B.
    struct Setup: Sendable {
        var logoURL: String
        var clientOfA: AccountBody
        var clientOfB: AccountBody
    }

    static func setUp(_ service: TestService, _ api: APIClient, dns: FakeDNSServer) async throws -> Setup {
        _ = try await api.request(.put, "/v1/agency/branding", agency: service.agencyA, json: ["display_name": "Northwind Digital", "accent": "#0a7d5a"])
        let logo = try await api.uploadLogo(TestImages.png(), agency: service.agencyA)
        _ = try await api.activeDomain(host, agency: service.agencyA, dns: dns)
        _ = try await api.request(.post, "/v1/agency/domains", agency: service.agencyB, json: ["host": "pending.bravo.example"])
        let a = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "Gym Berlin", "kind": "paid", "domain": host])
        let b = try await api.request(.post, "/v1/accounts", agency: service.agencyB, json: ["name": "Bravo Client", "kind": "paid"])
        return Setup(logoURL: logo.json["logo_url"] as? String ?? "?", clientOfA: try a.decode(AccountBody.self), clientOfB: try b.decode(AccountBody.self))
    }

    /// Runs `body` with browsers against a router whose DNS checks ask `dns`.
    static func browse<T: Sendable>(
        _ service: TestService, dns: FakeDNSServer, _ body: @Sendable (APIClient, DashboardBrowser, DashboardBrowser) async throws -> T
    ) async throws -> T {
        var settings = TestService.settings
        settings.dnsResolver = dns.address
        let app = Application(router: buildRouter(database: service.database, settings: settings))
        return try await app.test(.router) { client in try await body(APIClient(client: client), DashboardBrowser(client: client), DashboardBrowser(client: client)) }
    }

    /// A's client on A's domain sees A's name, accent and logo, and not the service's name.
    @Test func aClientSigningInOnItsAgencysDomainSeesItsBrand() async throws {
        let service = try await TestService()
        let dns = try await FakeDNSServer()
        let (setup, form, signedIn, account) = try await Self.browse(service, dns: dns) { api, browser, _ in
            let setup = try await Self.setUp(service, api, dns: dns)
            browser.host = Self.host
            let form = try await browser.get("/login")
            let credentials = try #require(setup.clientOfA.credentials)
            let signedIn = try await browser.post("/login", ["username": credentials.username, "password": credentials.password])
            return (setup, form, signedIn, try await browser.get("/client"))
        }
        try await dns.stop()
        #expect(setup.clientOfA.credentials?.login_url == "https://\(Self.host)/login")
        for page in [form, account] {
            #expect(page.html.contains("Northwind Digital"))
            #expect(page.html.contains("<img class=\"logo\" src=\"\(setup.logoURL)\""))
            #expect(page.html.contains("href=\"/branding/accent/0a7d5a.css\""))
            #expect(!page.html.contains("Agency Snapshots"), "no service name where the client looks")
        }
        #expect(signedIn.status == .seeOther && signedIn.location == "/client")
        #expect(account.status == .ok && account.html.contains("<h1>Gym Berlin</h1>"))
    }

    /// B's client on A's domain gets exactly what a wrong password gets, on the page and the API.
    @Test func anotherAgencysClientIsRefusedAsAWrongPasswordWouldBe() async throws {
        let service = try await TestService()
        let dns = try await FakeDNSServer()
        let (otherAgency, wrongPassword, api, apiWrong, ownHost) = try await Self.browse(service, dns: dns) { api, browser, plain in
            let setup = try await Self.setUp(service, api, dns: dns)
            let b = try #require(setup.clientOfB.credentials)
            browser.host = Self.host
            try await browser.get("/login")
            let otherAgency = try await browser.post("/login", ["username": b.username, "password": b.password])
            let wrongPassword = try await browser.post("/login", ["username": b.username, "password": "not-it"])
            let onDomain: HTTPFields = [HTTPField.Name("Host")!: Self.host]
            let apiLogin = try await api.request(.post, "/v1/login", json: ["username": b.username, "password": b.password], headers: onDomain)
            let apiWrong = try await api.request(.post, "/v1/login", json: ["username": b.username, "password": "not-it"], headers: onDomain)
            try await plain.get("/login")
            let ownHost = try await plain.post("/login", ["username": b.username, "password": b.password])
            return (otherAgency, wrongPassword, apiLogin, apiWrong, ownHost)
        }
        try await dns.stop()
        #expect(otherAgency.status == .unauthorized && otherAgency.status == wrongPassword.status)
        #expect(otherAgency.html.contains("The username or the password is wrong."))
        #expect(otherAgency.html.replacingOccurrences(of: #"value="[^"]*""#, with: "", options: .regularExpression)
            == wrongPassword.html.replacingOccurrences(of: #"value="[^"]*""#, with: "", options: .regularExpression))
        #expect(api.status == .unauthorized && api.text == apiWrong.text)
        #expect(ownHost.status == .seeOther, "on the service's own host, B's client signs in as before")
    }

    /// A pending domain, or any host the service does not know, is served as the service itself.
    @Test func anUnverifiedDomainServesNothingBranded() async throws {
        let service = try await TestService()
        let dns = try await FakeDNSServer()
        let pages = try await Self.browse(service, dns: dns) { api, browser, _ in
            _ = try await Self.setUp(service, api, dns: dns)
            _ = try await api.request(.post, "/v1/agency/domains", agency: service.agencyA, json: ["host": "pending.northwind.example"])
            var pages: [DashboardBrowser.Page] = []
            for host in ["pending.northwind.example", "evil.example", "<script>.example"] {
                browser.host = host
                pages.append(try await browser.get("/login"))
            }
            return pages
        }
        try await dns.stop()
        for page in pages {
            #expect(page.status == .ok && page.html.contains("Agency Snapshots"))
            #expect(!page.html.contains("Northwind") && !page.html.contains("/branding/"))
            #expect(!page.html.contains("evil.example") && !page.html.contains("<script>"))
        }
    }

    /// On the service's own host, a signed-in client's error pages wear its agency's brand, and another
    /// agency's client (no branding set) keeps the service's.
    @Test func aSignedInClientsErrorPagesWearItsAgencysBrand() async throws {
        let service = try await TestService()
        let dns = try await FakeDNSServer()
        let (ofA, ofB) = try await Self.browse(service, dns: dns) { api, browserA, browserB in
            let setup = try await Self.setUp(service, api, dns: dns)
            var pages: [DashboardBrowser.Page] = []
            for (browser, client) in [(browserA, setup.clientOfA), (browserB, setup.clientOfB)] {
                let credentials = try #require(client.credentials)
                _ = try await browser.get("/login")
                let signedIn = try await browser.post("/login", ["username": credentials.username, "password": credentials.password])
                #expect(signedIn.status == .seeOther, "\(signedIn.html)")
                pages.append(try await browser.get("/client/no-such-page"))
            }
            return (pages[0], pages[1])
        }
        try await dns.stop()
        #expect(ofA.status == .notFound && ofA.html.contains("Northwind Digital"), "\(ofA.html)")
        #expect(!ofA.html.contains("Agency Snapshots"), "no service name where A's client looks")
        #expect(ofB.status == .notFound && ofB.html.contains("Agency Snapshots") && !ofB.html.contains("Northwind"))
    }

    /// The agency's own dashboard wears its brand too.
    @Test func theAgencyDashboardShowsItsBrand() async throws {
        let service = try await TestService()
        let dns = try await FakeDNSServer()
        let page = try await Self.browse(service, dns: dns) { api, browser, _ in
            _ = try await Self.setUp(service, api, dns: dns)
            try await browser.signIn(agency: service.agencyA)
            return try await browser.get("/dashboard")
        }
        try await dns.stop()
        #expect(page.status == .ok && page.html.contains("Northwind Digital") && page.html.contains("<img class=\"logo\""))
    }
}
