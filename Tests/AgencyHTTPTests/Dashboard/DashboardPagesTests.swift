import AgencyDomain
import AgencyHTTP
import AgencyStorage
import Foundation
import HTTPTypes
import Testing

@Suite("Dashboard: the agency's pages")
struct DashboardPagesTests {
    /// "Add new" makes a sandbox and shows its login URL, username and password once, with copy
    /// buttons; the password opens the account through the same login as the API.
    @Test func addNewShowsCredentialsOnce() async throws {
        let service = try await TestService()
        let (page, login) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            let page = try await browser.addAccount("Fitness workshop", kind: "sandbox")
            return (page, try await service.database.user(named: page.code("username") ?? ""))
        }
        #expect(page.status == .created)
        #expect(page.code("login-url") == "https://snapshots.test/login")
        #expect(page.html.contains("will not be shown again"))
        #expect(page.html.contains("data-copy=\"password\""))
        let password = try #require(page.code("password"))
        #expect(password.count == 24)
        let stored = try #require(login)
        #expect(stored.passwordHash != password && stored.passwordHash.hasPrefix("$2"))
    }

    /// The accounts page shows how many contacts each account has: a paid account its count (it has
    /// no cap), a sandbox its count against its cap of 100.
    @Test func accountsPageShowsContactCounts() async throws {
        let service = try await TestService()
        let list = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            let sandboxID = try #require(try await browser.addAccount("Workshop", kind: "sandbox").firstID(after: "/dashboard/accounts/"))
            let paidID = try #require(try await browser.addAccount("Gym Berlin", kind: "paid").firstID(after: "/dashboard/accounts/"))
            for email in ["a@example.com", "b@example.com", "c@example.com"] {
                _ = try await service.database.createContact(accountID: paidID, try ContactDraft(email: email, firstName: nil, lastName: nil, phone: nil))
            }
            _ = try await service.database.createContact(accountID: sandboxID, try ContactDraft(email: "s@example.com", firstName: nil, lastName: nil, phone: nil))
            return try await browser.get("/dashboard")
        }
        let rows = list.html.components(separatedBy: "<tr>")
        let paid = try #require(rows.first { $0.contains(">Gym Berlin</a>") })
        let sandbox = try #require(rows.first { $0.contains(">Workshop</a>") })
        #expect(paid.contains("<td data-label=\"Contacts\">3</td>"))
        #expect(paid.contains("<td data-label=\"Sends\">0</td>"))
        #expect(sandbox.contains("<td data-label=\"Contacts\">1 / 100</td>"))
        #expect(!list.html.contains("no cap"))
    }

    /// A double click (the same form sent twice) makes one account and shows the same credentials.
    @Test func theSameFormSentTwiceMakesOneAccount() async throws {
        let service = try await TestService()
        let (first, second) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            let form = try await browser.get("/dashboard/accounts/new")
            let fields = ["name": "Once", "kind": "sandbox", "snapshot": "", "idempotency_key": form.field("idempotency_key") ?? ""]
            return (try await browser.post("/dashboard/accounts", fields), try await browser.post("/dashboard/accounts", fields))
        }
        #expect(first.status == .created && second.status == .created)
        #expect(first.code("username") == second.code("username"))
        #expect(first.code("password") == second.code("password"))
        let agencyID = try #require(try await service.database.agencyID(forTokenDigest: Secrets.digest(ofToken: service.agencyA)))
        #expect(try await service.database.accounts(agencyID: agencyID, kind: nil, page: Page()).total == 1)
    }

    /// A name the rules refuse gets the form again with the message next to the name field, and the
    /// same idempotency key; nothing is made.
    @Test func anEmptyNameIsSaidNextToTheField() async throws {
        let service = try await TestService()
        let page = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            return try await browser.addAccount("   ", kind: "sandbox")
        }
        #expect(page.status == .unprocessableContent)
        #expect(page.html.contains("id=\"name-error\">A name is required."))
        #expect(page.html.contains("aria-describedby=\"name-error\""))
    }

    /// The whole agency flow renders every page: sandbox, snapshot, "Create account" with the
    /// snapshot chosen, the account page, verify and drift, a token, the delete confirmations, and
    /// the snapshot's deletion, after which the account stays and shows its source as deleted.
    @Test func everyPageOfTheFlowRenders() async throws {
        let service = try await TestService()
        try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            let sandbox = try await browser.addAccount("Fitness workshop", kind: "sandbox")
            let sandboxID = try #require(sandbox.firstID(after: "/dashboard/accounts/"))

            let created = try await browser.createSnapshot(of: sandboxID, name: "Fitness v1")
            #expect(created.status == .seeOther && created.location == "/dashboard/snapshots?done=snapshot-created")
            let snapshots = try await browser.get("/dashboard/snapshots?done=snapshot-created")
            #expect(snapshots.status == .ok && snapshots.html.contains("The snapshot was created."))
            #expect(snapshots.html.contains("<td data-label=\"Name\">Fitness v1</td>"))
            #expect(snapshots.html.contains(">Fitness workshop</a>"), "the source account by name")
            let snapshotID = try #require(snapshots.firstID(after: "/dashboard/accounts/new?snapshot="))

            let add = try await browser.get("/dashboard/accounts/new?snapshot=\(snapshotID)")
            #expect(add.html.contains("<option value=\"\(snapshotID)\" selected>Fitness v1 (ID \(snapshotID))</option>"))
            #expect(add.html.contains("id=\"kind-paid\" name=\"kind\" value=\"paid\" checked"))
            let client = try await browser.addAccount("Gym Berlin", kind: "paid", snapshot: snapshotID)
            #expect(client.status == .created)
            let clientID = try #require(client.firstID(after: "/dashboard/accounts/"))

            let list = try await browser.get("/dashboard")
            #expect(list.html.contains(">Gym Berlin</a>") && list.html.contains(">Fitness workshop</a>"))
            #expect(list.html.contains("0 / 100"), "a sandbox's contacts against its cap")
            #expect(list.html.contains("Log in to Fitness workshop"), "a Log in button per sandbox")
            let sandboxesOnly = try await browser.get("/dashboard?kind=sandbox")
            #expect(!sandboxesOnly.html.contains(">Gym Berlin</a>"))

            let account = try await browser.get("/dashboard/accounts/\(clientID)")
            #expect(account.status == .ok && account.html.contains("snapshot Fitness v1 (ID \(snapshotID))"))
            let imagesBefore = try #require(Self.imagesSection(account.html))
            let check = try await browser.get("/dashboard/accounts/\(clientID)/check")
            #expect(check.status == .ok && check.html.contains("Every reference points inside the account."))
            #expect(check.html.contains("The client has changed nothing since its snapshot."))
            try await browser.get("/dashboard/accounts/\(clientID)")
            let token = try await browser.post("/dashboard/accounts/\(clientID)/tokens")
            #expect(token.status == .created)
            let apiToken = try #require(token.code("token"))
            #expect(try await service.database.accountID(forTokenDigest: Secrets.digest(ofToken: apiToken)) == clientID)

            let confirmAccount = try await browser.get("/dashboard/accounts/\(sandboxID)/delete")
            #expect(confirmAccount.html.contains("Delete account Fitness workshop</button>"))
            let confirm = try await browser.get("/dashboard/snapshots/\(snapshotID)/delete")
            #expect(confirm.html.contains("Delete snapshot Fitness v1</button>"))
            let deleted = try await browser.post("/dashboard/snapshots/\(snapshotID)/delete")
            #expect(deleted.status == .seeOther && deleted.location == "/dashboard/snapshots?done=snapshot-deleted")
            let after = try await browser.get("/dashboard")
            #expect(after.html.contains(">Gym Berlin</a>"))
            #expect(after.html.contains("Fitness v1 <span class=\"muted\">(ID \(snapshotID))</span> <span class=\"badge\">deleted</span>"))
            // The account keeps its to-do list of images: deleting the snapshot changes nothing in it.
            let orphan = try await browser.get("/dashboard/accounts/\(clientID)")
            #expect(orphan.status == .ok && Self.imagesSection(orphan.html) == imagesBefore)

            try await browser.get("/dashboard/accounts/\(clientID)/delete")
            let gone = try await browser.post("/dashboard/accounts/\(clientID)/delete")
            #expect(gone.status == .seeOther && gone.location == "/dashboard?done=deleted")
            #expect(try await browser.get("/dashboard/accounts/\(clientID)").status == .notFound)
        }
    }

    /// An account from a snapshot with images lists each image the client must upload, and keeps
    /// listing them after the snapshot is deleted: the list is the account's, not the snapshot's.
    @Test func theAccountPageListsTheImagesToUpload() async throws {
        let service = try await TestService()
        let agencyID = try #require(try await service.database.agencyID(forTokenDigest: Secrets.digest(ofToken: service.agencyA)))
        let fitness = try await service.test { api in try await api.fitnessSnapshot(agency: service.agencyA) }
        #expect(fitness.snapshot.omitted_count > 0)
        let snapshot = try await service.database.snapshot(id: Int64(fitness.snapshotID), agencyID: agencyID)
        let (page, after) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            let client = try await browser.addAccount("Gym", kind: "trial", snapshot: Int64(fitness.snapshotID))
            let path = "/dashboard/accounts/\(client.firstID(after: "/dashboard/accounts/") ?? 0)"
            let page = try await browser.get(path)
            try await browser.get("/dashboard/snapshots/\(fitness.snapshotID)/delete")
            let deleted = try await browser.post("/dashboard/snapshots/\(fitness.snapshotID)/delete")
            #expect(deleted.status == .seeOther)
            return (page, try await browser.get(path))
        }
        #expect(page.html.contains("Images to upload"))
        for image in snapshot.omitted {
            #expect(page.html.contains("<td data-label=\"Asset\">\(image.assetKind) \(image.assetID): "), "named as the account has it")
            #expect(page.html.contains(image.source))
        }
        #expect(page.html.contains("templates</li>") || page.html.contains("campaigns</li>"))
        let section = try #require(Self.imagesSection(page.html))
        #expect(Self.imagesSection(after.html) == section, "deleting the snapshot changes nothing the account shows")
    }

    /// The page a missing account gets is HTML, with the status the API would give.
    @Test func aMissingAccountIsAnHTMLNotFoundPage() async throws {
        let service = try await TestService()
        let (missing, notANumber) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            return (try await browser.get("/dashboard/accounts/999"), try await browser.get("/dashboard/accounts/x%3Cb%3E"))
        }
        #expect(missing.status == .notFound && missing.headers[.contentType] == "text/html; charset=utf-8")
        #expect(missing.html.contains("Account 999 not found."))
        #expect(notANumber.status == .notFound && !notANumber.html.contains("<b>"))
    }

    /// The Reseller tab shows 25 accounts a page: with 25 there is no next page, with 26 there is,
    /// and it holds the 26th; a page number that is not one shows the first page.
    @Test func accountsComeInPagesOf25() async throws {
        let service = try await TestService()
        let agencyID = try #require(try await service.database.agencyID(forTokenDigest: Secrets.digest(ofToken: service.agencyA)))
        func add(_ number: Int) async throws {
            _ = try await service.database.createAccount(
                agencyID: agencyID, name: "Client \(number)", kind: .trial, passwordHash: "unused", makeUsername: { "client-\(number)" }
            )
        }
        for number in 1...25 { try await add(number) }
        let (full, _) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            return (try await browser.get("/dashboard"), ())
        }
        #expect(full.html.contains("Accounts 1–25 of 25") && !full.html.contains("rel=\"next\""))
        try await add(26)
        let (first, second, nonsense) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            return (try await browser.get("/dashboard"), try await browser.get("/dashboard?page=2"), try await browser.get("/dashboard?page=-3x"))
        }
        #expect(first.html.contains("Accounts 1–25 of 26") && first.html.contains("<a href=\"/dashboard?page=2\" rel=\"next\">"))
        #expect(!first.html.contains(">Client 1</a>"), "newest first: the oldest is on page 2")
        #expect(second.html.contains("Accounts 26–26 of 26") && second.html.contains(">Client 1</a>") && second.html.contains("rel=\"prev\""))
        #expect(nonsense.status == .ok && nonsense.html.contains("Accounts 1–25 of 26"))
    }

    /// The stylesheet and the script are served as what they are, and nothing else is.
    @Test func theStaticFilesAreServed() async throws {
        let service = try await TestService()
        let (css, script, other) = try await service.browse { browser in
            (try await browser.get("/dashboard/static/dashboard.css"), try await browser.get("/dashboard/static/copy.js"),
             try await browser.get("/dashboard/static/..%2FTemplates%2Flayout.mustache"))
        }
        #expect(css.status == .ok && css.headers[.contentType] == "text/css; charset=utf-8" && css.html.contains("@media"))
        #expect(script.status == .ok && script.headers[.contentType] == "text/javascript; charset=utf-8" && script.html.contains("clipboard"))
        #expect(other.status == .notFound)
    }

    /// The "Images to upload" section of an account page.
    static func imagesSection(_ html: String) -> String? {
        guard let start = html.range(of: "<section aria-labelledby=\"images\">"),
              let end = html.range(of: "</section>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }
}

@Suite("Dashboard: renaming an account and changing its plan")
struct DashboardAccountEditTests {
    /// A trial account is renamed and becomes paid, as PATCH /v1/accounts/{id} would do it.
    @Test func aTrialIsRenamedAndUpgraded() async throws {
        let service = try await TestService()
        let agencyID = try #require(try await service.database.agencyID(forTokenDigest: Secrets.digest(ofToken: service.agencyA)))
        let (saved, page) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            let id = try await browser.addAccount("Gym", kind: "trial").firstID(after: "/dashboard/accounts/") ?? 0
            try await browser.get("/dashboard/accounts/\(id)")
            let saved = try await browser.post("/dashboard/accounts/\(id)", ["name": "Gym Berlin", "kind": "paid"])
            return (saved, try await browser.get(saved.location ?? ""))
        }
        #expect(saved.status == .seeOther)
        #expect(page.html.contains("The account was saved.") && page.html.contains("<h1>Gym Berlin</h1>"))
        let account = try #require(try await service.database.accounts(agencyID: agencyID, kind: nil, page: Page()).accounts.first)
        #expect(account.name == "Gym Berlin" && account.kind == .paid)
    }

    /// A sandbox is offered no plan, and a forged "paid" is refused next to the form: nothing changes.
    @Test func aSandboxStaysASandbox() async throws {
        let service = try await TestService()
        let agencyID = try #require(try await service.database.agencyID(forTokenDigest: Secrets.digest(ofToken: service.agencyA)))
        let (page, refused, empty) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            let id = try await browser.addAccount("Workshop", kind: "sandbox").firstID(after: "/dashboard/accounts/") ?? 0
            let page = try await browser.get("/dashboard/accounts/\(id)")
            let refused = try await browser.post("/dashboard/accounts/\(id)", ["name": "Workshop", "kind": "paid"])
            return (page, refused, try await browser.post("/dashboard/accounts/\(id)", ["name": " "]))
        }
        #expect(!page.html.contains("name=\"kind\"") && page.html.contains("Save name</button>"))
        #expect(refused.status == .unprocessableContent && refused.html.contains("A sandbox cannot be turned into a paid account."))
        #expect(empty.status == .unprocessableContent && empty.html.contains("id=\"name-error\">A name is required."))
        let account = try #require(try await service.database.accounts(agencyID: agencyID, kind: nil, page: Page()).accounts.first)
        #expect(account.name == "Workshop" && account.kind == .sandbox)
    }
}
