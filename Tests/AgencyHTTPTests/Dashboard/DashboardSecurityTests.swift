import AgencyDomain
import AgencyHTTP
import AgencyStorage
import Foundation
import HTTPTypes
import Testing

@Suite("Dashboard: escaping, CSRF and one agency kept out of another's pages")
struct DashboardSecurityTests {
    static let hostile = "<script>alert(\"x\")</script> O'Brien & \"Co\""
    static let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; &quot;Co&quot;"

    /// A hostile name is printed escaped on every page that shows it, and never as markup.
    @Test func hostileNamesAreEscapedOnEveryPage() async throws {
        let service = try await TestService()
        let pages = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            let credentials = try await browser.addAccount(Self.hostile, kind: "sandbox")
            let id = credentials.firstID(after: "/dashboard/accounts/") ?? 0
            try await browser.createSnapshot(of: id, name: Self.hostile)
            let snapshots = try await browser.get("/dashboard/snapshots")
            let snapshotID = snapshots.firstID(after: "/dashboard/accounts/new?snapshot=") ?? 0
            let client = try await browser.addAccount(Self.hostile, kind: "paid", snapshot: snapshotID)
            return [
                credentials, snapshots, client, try await browser.get("/dashboard"), try await browser.get("/dashboard/accounts/\(id)"),
                try await browser.get("/dashboard/accounts/\(id)/check"), try await browser.get("/dashboard/accounts/\(id)/delete"),
                try await browser.get("/dashboard/snapshots/\(snapshotID)/delete"), try await browser.get("/dashboard/accounts/new?snapshot=\(snapshotID)"),
                try await browser.get("/dashboard/snapshots/diff?from=\(snapshotID)&to=\(snapshotID)"),
            ]
        }
        for page in pages {
            #expect(page.html.contains(Self.escaped), "the name, escaped")
            #expect(!page.html.contains("<script>alert"), "never as markup")
            #expect(!page.html.contains("O'Brien"), "quotes escaped too")
        }
    }

    /// A hostile value typed into a form comes back escaped in the re-shown form.
    @Test func aRefusedFormShowsTheTypedValueEscaped() async throws {
        let service = try await TestService()
        let page = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            try await browser.addAccount("Workshop", kind: "sandbox")
            try await browser.get("/dashboard/snapshots")
            return try await browser.post("/dashboard/snapshots", ["sandbox": "", "name": "\"><script>x</script>"])
        }
        #expect(page.status == .unprocessableContent)
        #expect(page.html.contains("value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""))
        #expect(page.html.contains("id=\"sandbox-error\">Choose the sandbox to take the snapshot of."))
    }

    /// No template prints a value unescaped: `{{{…}}}` and `{{&…}}` appear in none of them.
    @Test func noTemplatePrintsAValueUnescaped() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/AgencyHTTP/Dashboard/Templates")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }
        #expect(files.count >= 10)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("{{{") && !text.contains("{{&"), "\(file) prints a value unescaped")
            let handler = text.range(of: #"\son[a-z]+\s*="#, options: .regularExpression)
            #expect(!text.contains("<script>") && handler == nil && !text.contains("style="), "\(file) has inline script or style")
        }
    }

    /// Every form that changes something is refused (403, nothing done) without the session's CSRF
    /// token, and with another session's.
    @Test func formsWithoutTheSessionsCSRFTokenAreRefused() async throws {
        let service = try await TestService()
        let agencyID = try #require(try await service.database.agencyID(forTokenDigest: Secrets.digest(ofToken: service.agencyA)))
        let statuses = try await service.browseTwo { browser, other in
            try await other.signIn(agency: service.agencyA)
            try await other.get("/dashboard")
            let othersToken = try #require(other.csrf)
            try await browser.signIn(agency: service.agencyA)
            let sandbox = try await browser.addAccount("Workshop", kind: "sandbox")
            let id = sandbox.firstID(after: "/dashboard/accounts/") ?? 0
            try await browser.createSnapshot(of: id, name: "v1")
            let snapshotID = try await browser.get("/dashboard/snapshots").firstID(after: "/dashboard/accounts/new?snapshot=") ?? 0
            let form = try await browser.get("/dashboard/accounts/new")
            var statuses: [HTTPResponse.Status] = []
            for csrf in ["", othersToken, "forged"] {
                statuses.append(try await browser.post("/dashboard/accounts", [
                    "name": "Forged", "kind": "sandbox", "idempotency_key": form.field("idempotency_key") ?? "",
                ], csrf: csrf).status)
                statuses.append(try await browser.post("/dashboard/snapshots", ["sandbox": "\(id)", "name": "forged"], csrf: csrf).status)
                statuses.append(try await browser.post("/dashboard/snapshots/\(snapshotID)/push", ["mode": "push"], csrf: csrf).status)
                statuses.append(try await browser.post("/dashboard/snapshots/\(snapshotID)/delete", csrf: csrf).status)
                statuses.append(try await browser.post("/dashboard/accounts/\(id)/delete", csrf: csrf).status)
                statuses.append(try await browser.post("/dashboard/accounts/\(id)/tokens", csrf: csrf).status)
                statuses.append(try await browser.post("/dashboard/accounts/\(id)", ["name": "Forged"], csrf: csrf).status)
                statuses.append(try await browser.post("/dashboard/accounts/\(id)/log-in", csrf: csrf).status)
                statuses.append(try await browser.post("/dashboard/sign-out", csrf: csrf).status)
            }
            return statuses
        }
        #expect(statuses.allSatisfy { $0 == .forbidden }, "\(statuses)")
        #expect(try await service.database.accounts(agencyID: agencyID, kind: nil, page: Page()).total == 1)
        #expect(try await service.database.snapshots(agencyID: agencyID, query: SnapshotQuery(page: Page())).total == 1)
    }

    /// Agency B signed in sees none of agency A's accounts or snapshots, and gets 404 for each of
    /// their pages and forms; nothing of A's changes.
    @Test func oneAgencyIsKeptOutOfAnothersPages() async throws {
        let service = try await TestService()
        let agencyA = try #require(try await service.database.agencyID(forTokenDigest: Secrets.digest(ofToken: service.agencyA)))
        let (lists, statuses, addFromA) = try await service.browseTwo { a, b in
            try await a.signIn(agency: service.agencyA)
            let sandbox = try await a.addAccount("A's workshop", kind: "sandbox")
            let id = sandbox.firstID(after: "/dashboard/accounts/") ?? 0
            try await a.createSnapshot(of: id, name: "A's snapshot")
            let snapshotID = try await a.get("/dashboard/snapshots").firstID(after: "/dashboard/accounts/new?snapshot=") ?? 0

            try await b.signIn(agency: service.agencyB)
            let lists = [try await b.get("/dashboard"), try await b.get("/dashboard/snapshots"), try await b.get("/dashboard/accounts/new")]
            var statuses = [
                try await b.get("/dashboard/accounts/\(id)").status, try await b.get("/dashboard/accounts/\(id)/check").status,
                try await b.get("/dashboard/accounts/\(id)/delete").status, try await b.get("/dashboard/snapshots/\(snapshotID)/delete").status,
            ]
            try await b.get("/dashboard")
            statuses.append(try await b.post("/dashboard/accounts/\(id)/delete").status)
            statuses.append(try await b.post("/dashboard/accounts/\(id)/tokens").status)
            statuses.append(try await b.post("/dashboard/accounts/\(id)", ["name": "Taken"]).status)
            statuses.append(try await b.post("/dashboard/accounts/\(id)/log-in").status)
            statuses.append(try await b.post("/dashboard/snapshots/\(snapshotID)/delete").status)
            let snapshotOfA = try await b.createSnapshot(of: id, name: "stolen")
            statuses.append(snapshotOfA.status)
            let addFromA = try await b.addAccount("From A", kind: "paid", snapshot: snapshotID)
            return (lists, statuses, addFromA)
        }
        for page in lists { #expect(!page.html.contains("A&#39;s"), "B's pages show nothing of A's") }
        #expect(statuses.dropLast().allSatisfy { $0 == .notFound }, "\(statuses)")
        #expect(statuses.last == .unprocessableContent, "a snapshot of A's sandbox is refused next to the sandbox field")
        #expect(addFromA.status == .unprocessableContent && addFromA.html.contains("This snapshot no longer exists"))
        #expect(try await service.database.accounts(agencyID: agencyA, kind: nil, page: Page()).total == 1)
        #expect(try await service.database.snapshots(agencyID: agencyA, query: SnapshotQuery(page: Page())).total == 1)
    }
}
