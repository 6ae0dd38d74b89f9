import Foundation
import Testing

@Suite("Per-account API: contact data pointing at assets")
struct ContactDataAPITests {
    /// Tags, list subscriptions and field values link contacts to assets; removing a tag removes it from contacts.
    @Test func contactTagsListsAndFieldValues() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
            _ = try await api.createContact("ann@example.com", apiToken: token)
            _ = try await api.createContact("bob@example.com", apiToken: token)

            let tagged = try await api.request(.post, "/api/3/contactTags", apiToken: token, json: ["contactTag": ["contact": "1", "tag": "4"]])
            #expect(tagged.status == .created)
            #expect((tagged.json["contactTag"] as? [String: String])?["tag"] == "4")
            let badTag = try await api.request(.post, "/api/3/contactTags", apiToken: token, json: ["contactTag": ["contact": "1", "tag": "99"]])
            #expect((badTag.firstV3Error?["source"] as? [String: String])?["pointer"] == "/contactTag/tag")

            let subscribed = try await api.request(.post, "/api/3/contactLists", apiToken: token, json: ["contactList": ["contact": "2", "list": "1", "status": 1]])
            #expect(subscribed.status == .created)
            let members = try await api.request(.get, "/api/3/contacts?listid=1", apiToken: token)
            #expect((members.json["contacts"] as? [[String: Any]])?.compactMap { $0["email"] as? String } == ["bob@example.com"])
            #expect(members.json["meta"] as? [String: String] == ["total": "1"])
            let unsubscribed = try await api.request(.post, "/api/3/contactLists", apiToken: token, json: ["contactList": ["contact": "2", "list": "1", "status": 2]])
            #expect(unsubscribed.status == .ok)
            #expect(try await api.request(.get, "/api/3/contacts?listid=1", apiToken: token).json["meta"] as? [String: String] == ["total": "0"])

            let value = try await api.request(.post, "/api/3/fieldValues", apiToken: token, json: ["fieldValue": ["contact": "1", "field": "2", "value": "Run a marathon"]])
            let valueID = try #require((value.json["fieldValue"] as? [String: String])?["id"])
            _ = try await api.request(.put, "/api/3/fieldValues/\(valueID)", apiToken: token, json: ["fieldValue": ["value": "Lose weight"]])
            let values = try await api.request(.get, "/api/3/contacts/1/fieldValues", apiToken: token)
            #expect((values.json["fieldValues"] as? [[String: String]])?.first?["value"] == "Lose weight")

            // Lead (tag 4) is used by the form; once the form no longer uses it, deleting it also untags the contact.
            _ = try await api.request(.put, "/api/3/forms/1", apiToken: token, json: ["form": ["tags": ["2"]]])
            #expect(try await api.request(.delete, "/api/3/tags/4", apiToken: token).status == .ok)
            let tags = try await api.request(.get, "/api/3/contacts/1/contactTags", apiToken: token)
            #expect(tags.json["meta"] as? [String: String] == ["total": "0"])
        }
    }

    /// Deals sit in a stage, report its pipeline, and keep their stage from being deleted.
    @Test func dealsInPipelineStages() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
            _ = try await api.createContact("ann@example.com", apiToken: token)
            let created = try await api.request(.post, "/api/3/deals", apiToken: token, json: ["deal": ["title": "Premium plan", "value": "9900", "currency": "eur", "contact": "1", "stage": "1"]])
            #expect(created.status == .created)
            let deal = try #require(created.json["deal"] as? [String: Any])
            #expect(deal["group"] as? String == "1")
            #expect(deal["value"] as? String == "9900")

            let moved = try await api.request(.put, "/api/3/deals/1", apiToken: token, json: ["deal": ["stage": "3", "status": 1]])
            #expect((moved.json["deal"] as? [String: Any])?["stage"] as? String == "3")
            #expect((moved.json["deal"] as? [String: Any])?["title"] as? String == "Premium plan")

            let noStage = try await api.request(.post, "/api/3/deals", apiToken: token, json: ["deal": ["title": "X", "stage": "42"]])
            #expect((noStage.firstV3Error?["source"] as? [String: String])?["pointer"] == "/deal/stage")

            // Stage 3 is referenced by an automation and holds the deal: both keep it.
            _ = try await api.request(.put, "/api/3/automations/2", apiToken: token, json: ["automation": ["steps": []]])
            let refused = try await api.request(.delete, "/api/3/dealStages/3", apiToken: token)
            #expect(refused.status == .conflict)
            #expect((refused.firstV3Error?["detail"] as? String)?.contains("deal") == true)
            #expect(try await api.request(.delete, "/api/3/deals/1", apiToken: token).status == .ok)
            #expect(try await api.request(.delete, "/api/3/dealStages/3", apiToken: token).status == .ok)
        }
    }
}

@Suite("Campaigns go through the send path")
struct CampaignSendTests {
    /// A campaign reaches its list's subscribers once, is marked sent, and a sandbox's cap refuses it whole.
    @Test func campaignSendUsesTheSandboxCap() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, token) = try await api.fitnessSandbox(agency: service.agencyA)
            for index in 1...60 {
                _ = try await api.createContact("m\(index)@example.com", apiToken: token)
                _ = try await api.request(.post, "/api/3/contactLists", apiToken: token, json: ["contactList": ["contact": "\(index)", "list": "2"]])
            }
            let sent = try await api.request(.post, "/api/3/campaigns/1/send", apiToken: token)
            #expect(sent.status == .created)
            #expect((sent.json["send"] as? [String: Any])?["recipients"] as? String == "60")
            #expect((sent.json["send"] as? [String: Any])?["subject"] as? String == "News from the studio")
            let campaign = try await api.request(.get, "/api/3/campaigns/1", apiToken: token)
            #expect((campaign.json["campaign"] as? [String: Any])?["status"] as? String == "sent")
            #expect(try await api.request(.post, "/api/3/campaigns/1/send", apiToken: token).status == .conflict)

            // A second campaign to the same 60 would pass 100 recipients: refused whole, still a draft.
            _ = try await api.request(.post, "/api/3/campaigns", apiToken: token, json: ["campaign": ["name": "Again", "lists": ["2"], "template": "2"]])
            let refused = try await api.request(.post, "/api/3/campaigns/2/send", apiToken: token)
            #expect(refused.firstV3Error?["code"] as? String == "sandbox_send_limit")
            let account = try await api.request(.get, "/v1/accounts/\(id)", agency: service.agencyA)
            #expect((account.json["usage"] as? [String: Int])?["sends"] == 60)
            let draft = try await api.request(.get, "/api/3/campaigns/2", apiToken: token)
            #expect((draft.json["campaign"] as? [String: Any])?["status"] as? String == "draft")
        }
    }
}
