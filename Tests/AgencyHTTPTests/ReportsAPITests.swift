import Foundation
import Testing

/// Contacts in automations with their counters, campaign reports from sends and events, links, and
/// the reports a snapshot carries into a provisioned account.
@Suite("Per-account API: contactAutomations and reports")
struct ReportsAPITests {
    @Test func contactsEnterAndExitAutomations() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
            _ = try await api.createContact("ann@example.com", apiToken: token)
            _ = try await api.createContact("bob@example.com", apiToken: token)
            let enrol = { (contact: String) in
                try await api.request(.post, "/api/3/contactAutomations", apiToken: token, json: ["contactAutomation": ["contact": contact, "automation": 2]])
            }
            let first = try await enrol("1")
            #expect(first.status == .created, "\(first.text)")
            let run = try #require(first.json["contactAutomation"] as? [String: Any])
            #expect(run["automation"] as? String == "2" && run["status"] as? String == "1" && run["remdate"] is NSNull)
            #expect(try await enrol("1").status == .ok, "a contact already running gets its run back")
            #expect(try await enrol("2").status == .created)
            let missing = try await api.request(.post, "/api/3/contactAutomations", apiToken: token, json: ["contactAutomation": ["contact": "1", "automation": "9"]])
            #expect((missing.firstV3Error?["source"] as? [String: String])?["pointer"] == "/contactAutomation/automation")

            #expect(try await api.request(.delete, "/api/3/contactAutomations/1", apiToken: token).status == .ok)
            let ended = try await api.request(.get, "/api/3/contactAutomations/1", apiToken: token)
            #expect((ended.json["contactAutomation"] as? [String: Any])?["status"] as? String == "2")
            #expect(try await enrol("1").status == .created, "an exited contact may enter again")

            let automation = try #require(try await api.request(.get, "/api/3/automations/2", apiToken: token).json["automation"] as? [String: Any])
            #expect(automation["entered"] as? String == "3")
            #expect(automation["exited"] as? String == "1")
            let listed = try await api.request(.get, "/api/3/automations", apiToken: token)
            #expect((listed.json["automations"] as? [[String: Any]])?.first?["entered"] as? String == "0")
            let ofAnn = try await api.request(.get, "/api/3/contacts/1/contactAutomations", apiToken: token)
            #expect(ofAnn.json["meta"] as? [String: String] == ["total": "2"])
            #expect(try await api.request(.get, "/api/3/contacts/9/contactAutomations", apiToken: token).status == .notFound)
        }
    }

    /// Sends count as `send_amt`; events count opens, clicks, bounces and unsubscribes, unique per
    /// contact; an unsubscribe takes the contact off the campaign's lists.
    @Test func campaignCountersFromSendsAndEvents() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
            for email in ["ann@example.com", "bob@example.com"] {
                let contact = try await api.createContact(email, apiToken: token)
                let id = try #require((contact.json["contact"] as? [String: Any])?["id"] as? String)
                _ = try await api.request(.post, "/api/3/contactLists", apiToken: token, json: ["contactList": ["contact": id, "list": "2", "status": 1]])
            }
            // The fixture's campaign uses template 2; give it a link to click.
            _ = try await api.request(.put, "/api/3/templates/2", apiToken: token, json: ["template": [
                "html": "<p><a href=\"https://studio.example.com/classes\">Classes</a> <a href='mailto:x@example.com'>x</a> <a href=\"https://studio.example.com/classes\">again</a></p>",
            ]])
            #expect(try await api.request(.post, "/api/3/campaigns/1/send", apiToken: token).status == .created)
            let event = { (type: String, contact: String?, link: String?) in
                var body: [String: Any] = ["type": type]
                if let contact { body["contact"] = contact }
                if let link { body["link"] = link }
                return try await api.request(.post, "/api/3/campaigns/1/events", apiToken: token, json: ["event": body])
            }
            let link = "https://studio.example.com/classes"
            for (type, contact, clicked) in [("open", "1", nil), ("open", "1", nil), ("open", "2", nil), ("click", "1", link), ("click", "1", link), ("soft_bounce", "2", nil), ("unsubscribe", "2", nil)] as [(String, String?, String?)] {
                #expect(try await event(type, contact, clicked).status == .created)
            }
            #expect(try await event("click", "1", nil).status == .unprocessableContent)
            #expect(try await event("forwarded", "1", nil).status == .unprocessableContent)

            let campaign = try #require(try await api.request(.get, "/api/3/campaigns/1", apiToken: token).json["campaign"] as? [String: Any])
            let counters = ["send_amt", "opens", "uniqueopens", "linkclicks", "uniquelinkclicks", "unsubscribes", "hardbounces", "softbounces"]
            #expect(counters.map { campaign[$0] as? String } == ["2", "3", "2", "2", "1", "1", "0", "1"])
            let subscribers = try await api.request(.get, "/api/3/contacts?listid=2", apiToken: token)
            #expect((subscribers.json["contacts"] as? [[String: Any]])?.compactMap { $0["email"] as? String } == ["ann@example.com"])

            let links = try await api.request(.get, "/api/3/campaigns/1/links", apiToken: token)
            let only = try #require((links.json["links"] as? [[String: Any]]))
            #expect(only.count == 1)
            #expect(only.first?["link"] as? String == link)
            #expect(only.first?["linkclicks"] as? String == "2" && only.first?["uniquelinkclicks"] as? String == "1")
        }
    }

    /// A snapshot with `include: ["reports"]` carries campaign and automation counters into the
    /// accounts made from it; by default they stay behind.
    @Test func snapshotsCarryReportsWhenAsked() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, token) = try await api.fitnessSandbox(agency: service.agencyA)
            _ = try await api.createContact("ann@example.com", apiToken: token)
            _ = try await api.request(.post, "/api/3/contactAutomations", apiToken: token, json: ["contactAutomation": ["contact": "1", "automation": "1"]])
            _ = try await api.request(.post, "/api/3/campaigns/1/events", apiToken: token, json: ["event": ["type": "open"]])
            func provision(_ include: [String]) async throws -> String {
                let snapshot = try await api.request(.post, "/v1/snapshots", agency: service.agencyA, json: ["sandbox_id": sandbox, "name": "R", "include": include])
                let snapshotID = try #require(snapshot.json["id"] as? Int, "\(snapshot.text)")
                let client = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["kind": "paid", "snapshot_id": snapshotID, "name": "C"])
                return try await api.accountToken(try #require(client.json["id"] as? Int), agency: service.agencyA)
            }
            let withReports = try await provision(["reports"])
            let automation = try await api.request(.get, "/api/3/automations/1", apiToken: withReports)
            #expect((automation.json["automation"] as? [String: Any])?["entered"] as? String == "1")
            let campaign = try await api.request(.get, "/api/3/campaigns/1", apiToken: withReports)
            #expect((campaign.json["campaign"] as? [String: Any])?["opens"] as? String == "1")
            #expect(try await api.request(.get, "/api/3/contacts", apiToken: withReports).json["meta"] as? [String: String] == ["total": "0"])

            let without = try await provision([])
            let bare = try await api.request(.get, "/api/3/campaigns/1", apiToken: without)
            #expect((bare.json["campaign"] as? [String: Any])?["opens"] as? String == "0")
            let bad = try await api.request(.post, "/v1/snapshots", agency: service.agencyA, json: ["sandbox_id": sandbox, "name": "R", "include": ["clicks"]])
            #expect(bad.status == .unprocessableContent)
        }
    }
}
