import AgencyDomain
import AgencyHTTP
import AgencyStorage
import Foundation
import HTTPTypes
import Testing

@Suite("Dashboard: snapshot diff and push with a preview")
struct DashboardUpdatesTests {
    /// The fitness snapshot v1, a client made from it in the dashboard, the sandbox's template 1
    /// changed, and snapshot v2 taken.
    func improved(_ service: TestService) async throws -> (v1: Int64, v2: Int64) {
        try await service.test { api in
            let fitness = try await api.fitnessSnapshot(agency: service.agencyA)
            _ = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "Gym", "kind": "paid", "snapshot_id": fitness.snapshotID])
            _ = try await api.request(.put, "/api/3/templates/1", apiToken: fitness.sandboxToken, json: ["template": ["html": "<p>Welcome, v2</p>"]])
            let v2 = try await api.request(.post, "/v1/snapshots", agency: service.agencyA, json: ["sandbox_id": fitness.sandboxID, "name": "Fitness v2"])
            return (Int64(fitness.snapshotID), Int64(v2.json["id"] as? Int ?? 0))
        }
    }

    /// The diff page lists the changed template and the account behind v2, with a preview button.
    @Test func theDiffPageListsChangesAndTheAccountsBehind() async throws {
        let service = try await TestService()
        let (v1, v2) = try await improved(service)
        let (snapshots, diff) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            return (try await browser.get("/dashboard/snapshots"), try await browser.get("/dashboard/snapshots/diff?from=\(v1)&to=\(v2)"))
        }
        #expect(snapshots.html.contains("<option value=\"\(v1)\" selected>Fitness v1"), "Compare: the one before the newest")
        #expect(diff.status == .ok && diff.html.contains("<h1>Fitness v1 → Fitness v2</h1>"))
        #expect(diff.html.contains("<td data-label=\"Kind\">templates</td><td data-label=\"ID\">1</td>"))
        #expect(diff.html.contains("<span class=\"badge-changed\">changed</span>") && diff.html.contains("/html"))
        #expect(diff.html.contains("<li>Gym (ID 2)</li>"))
        #expect(diff.html.contains("Preview the push (changes nothing)"))
    }

    /// A preview writes nothing; the push then updates the account; a second push finds it current.
    @Test func previewThenPush() async throws {
        let service = try await TestService()
        let (_, v2) = try await improved(service)
        let agencyID = try #require(try await service.database.agencyID(forTokenDigest: Secrets.digest(ofToken: service.agencyA)))
        let (preview, afterPreview, pushed, again) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            try await browser.get("/dashboard/snapshots")
            let preview = try await browser.post("/dashboard/snapshots/\(v2)/push", ["policy": "keep_client", "mode": "preview"])
            let afterPreview = try await service.database.updateHistory(accountID: 2, agencyID: agencyID)
            let pushed = try await browser.post("/dashboard/snapshots/\(v2)/push", ["policy": "keep_client", "mode": "push"])
            return (preview, afterPreview, pushed, try await browser.post("/dashboard/snapshots/\(v2)/push", ["mode": "push"]))
        }
        #expect(preview.status == .ok && preview.html.contains("A preview: nothing was written."))
        #expect(preview.html.contains("<td data-label=\"Account\">Gym (ID 2)</td><td data-label=\"Result\">previewed</td>"))
        #expect(preview.html.contains("1 applied"))
        #expect(afterPreview.isEmpty)
        #expect(pushed.html.contains("<td data-label=\"Result\">updated</td>"))
        #expect(try await service.database.updateHistory(accountID: 2, agencyID: agencyID).count == 1)
        #expect(!again.html.contains("<td data-label=\"Result\">updated</td>"), "nothing is behind any more")
    }

    /// Another agency gets 404 for the diff and the push of agency A's snapshots.
    @Test func anotherAgencyCannotDiffOrPush() async throws {
        let service = try await TestService()
        let (v1, v2) = try await improved(service)
        let (diff, push) = try await service.browse { browser in
            try await browser.signIn(agency: service.agencyB)
            let diff = try await browser.get("/dashboard/snapshots/diff?from=\(v1)&to=\(v2)")
            try await browser.get("/dashboard")
            return (diff, try await browser.post("/dashboard/snapshots/\(v2)/push", ["mode": "push"]))
        }
        #expect(diff.status == .notFound && push.status == .notFound)
    }
}
