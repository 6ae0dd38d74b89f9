import AgencyAPI
import AgencyDomain
import AgencyHTTP
import AgencyStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Dashboard: Settings, the agency's branding and custom domains")
struct DashboardSettingsTests {
    static let host = "app.northwind.example"

    static func browse<T: Sendable>(
        _ service: TestService, dns: FakeDNSServer, _ body: @Sendable (DashboardBrowser, DashboardBrowser) async throws -> T
    ) async throws -> T {
        var settings = TestService.settings
        settings.dnsResolver = dns.address
        let app = Application(router: buildRouter(database: service.database, settings: settings))
        return try await app.test(.router) { client in try await body(DashboardBrowser(client: client), DashboardBrowser(client: client)) }
    }

    /// The name and colour are saved by a CSRF-checked form and worn by the dashboard at once;
    /// a hostile name is escaped, a colour that is not #rrggbb is refused with the form again.
    @Test func brandingIsSavedAndShownEscaped() async throws {
        let service = try await TestService()
        let dns = try await FakeDNSServer()
        let (saved, page, refused, forged) = try await Self.browse(service, dns: dns) { browser, _ in
            try await browser.signIn(agency: service.agencyA)
            try await browser.get("/dashboard/settings")
            let saved = try await browser.post("/dashboard/settings/branding", ["display_name": DashboardSecurityTests.hostile, "accent": "#A0B1C2"])
            let page = try await browser.get("/dashboard/settings?done=branding")
            let refused = try await browser.post("/dashboard/settings/branding", ["display_name": "N", "accent": "red;}"])
            let forged = try await browser.post("/dashboard/settings/branding", ["display_name": "Forged"], csrf: "")
            return (saved, page, refused, forged)
        }
        try await dns.stop()
        #expect(saved.status == .seeOther && saved.location == "/dashboard/settings?done=branding")
        #expect(page.html.contains("<span class=\"brand-name\">\(DashboardSecurityTests.escaped)</span>") && !page.html.contains("<script>alert"))
        #expect(page.html.contains("href=\"/branding/accent/a0b1c2.css\"") && page.html.contains("The branding was saved."))
        #expect(refused.status == .unprocessableContent && refused.html.contains("#rrggbb"))
        #expect(forged.status == .forbidden)
        #expect(try await service.database.branding(agencyID: 1).displayName == DashboardSecurityTests.hostile.trimmingCharacters(in: .whitespaces))
    }

    /// The logo form is multipart: a PNG is taken, an SVG with script is refused, a forged form too.
    @Test func aLogoIsUploadedFromTheSettingsPage() async throws {
        let service = try await TestService()
        let dns = try await FakeDNSServer()
        let (uploaded, page, svg, forged) = try await Self.browse(service, dns: dns) { browser, _ in
            try await browser.signIn(agency: service.agencyA)
            try await browser.get("/dashboard/settings")
            let uploaded = try await browser.upload("/dashboard/settings/logo", file: TestImages.png(), name: "logo.png")
            let page = try await browser.get("/dashboard/settings")
            let svg = try await browser.upload("/dashboard/settings/logo", file: TestImages.svgWithScript, name: "logo.svg")
            let forged = try await browser.upload("/dashboard/settings/logo", file: TestImages.png(width: 9), name: "x.png", csrf: "nope")
            return (uploaded, page, svg, forged)
        }
        try await dns.stop()
        let digest = LogoImage.validatedDigest(TestImages.png())
        #expect(uploaded.status == .seeOther && uploaded.location == "/dashboard/settings?done=logo")
        #expect(page.html.contains("src=\"/branding/logos/\(digest).png\""))
        #expect(svg.status == .unprocessableContent && svg.html.contains("SVG logos are refused"))
        #expect(forged.status == .forbidden)
        #expect(try await service.database.branding(agencyID: 1).logoDigest == digest)
    }

    /// A domain is added, proved over DNS from the page, offered on Add new, and the new account's
    /// credentials point at it. Agency B can neither see, verify nor remove it.
    @Test func domainsAreAddedVerifiedAndOfferedOnAddNew() async throws {
        let service = try await TestService()
        let dns = try await FakeDNSServer()
        let (unproven, proven, addNew, credentials, seenByB, verifyByB, removeByB) = try await Self.browse(service, dns: dns) { browser, other in
            try await browser.signIn(agency: service.agencyA)
            try await browser.get("/dashboard/settings")
            try await browser.post("/dashboard/settings/domains", ["host": Self.host])
            let settings = try await browser.get("/dashboard/settings")
            let id = settings.firstID(after: "/dashboard/settings/domains/") ?? 0
            let unproven = try await browser.post("/dashboard/settings/domains/\(id)/verify")
            let domain = try await service.database.domain(id: id, agencyID: 1)
            dns.set(DomainVerification.recordName(for: domain.host), .txt([DomainVerification.recordValue(token: domain.token)]))
            let proven = try await browser.post("/dashboard/settings/domains/\(id)/verify")
            let addNew = try await browser.get("/dashboard/accounts/new")
            let credentials = try await browser.post("/dashboard/accounts", [
                "name": "Gym", "kind": "trial", "snapshot": "", "domain": Self.host, "idempotency_key": addNew.field("idempotency_key") ?? "",
            ])
            try await other.signIn(agency: service.agencyB)
            let seenByB = try await other.get("/dashboard/settings")
            let verifyByB = try await other.post("/dashboard/settings/domains/\(id)/verify")
            let removeByB = try await other.post("/dashboard/settings/domains/\(id)/delete")
            return (unproven, proven, addNew, credentials, seenByB, verifyByB, removeByB)
        }
        try await dns.stop()
        #expect(unproven.status == .unprocessableContent && unproven.html.contains("agency-snapshots-verify="))
        #expect(proven.status == .seeOther && proven.location == "/dashboard/settings?done=domain-verified")
        #expect(addNew.html.contains("<option value=\"\(Self.host)\">https://\(Self.host)/login</option>"))
        #expect(credentials.status == .created && credentials.code("login-url") == "https://\(Self.host)/login")
        #expect(!seenByB.html.contains(Self.host))
        #expect(verifyByB.status == .notFound && removeByB.status == .notFound)
        #expect(try await service.database.domains(agencyID: 1).map(\.isActive) == [true])
    }

    /// An error page on an agency's domain wears its brand, not the service's name.
    @Test func errorPagesOnACustomDomainWearItsBrand() async throws {
        let service = try await TestService()
        let dns = try await FakeDNSServer()
        let page = try await Self.browse(service, dns: dns) { browser, _ in
            try await service.test(dns: dns) { api in
                _ = try await api.request(.put, "/v1/agency/branding", agency: service.agencyA, json: ["display_name": "Northwind"])
                _ = try await api.activeDomain(Self.host, agency: service.agencyA, dns: dns)
            }
            browser.host = Self.host
            try await browser.get("/login")
            return try await browser.post("/login", ["username": "x", "password": "y"], csrf: "forged")
        }
        try await dns.stop()
        #expect(page.status == .forbidden && page.html.contains("Northwind") && !page.html.contains("Agency Snapshots"))
    }
}

extension DashboardBrowser {
    /// Sends a multipart form with one file, as a browser's file input does.
    func upload(_ uri: String, file: [UInt8], name: String, field: String = "logo", csrf: String? = nil) async throws -> Page {
        let boundary = "----formboundary7MA4YWxk"
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf ?? self.csrf ?? "")\r\n".utf8)
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += file
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
        if !cookies.isEmpty { headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        let response = try await client.executeRequest(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
        return Page(status: response.status, headers: response.headers, html: String(buffer: response.body))
    }
}
