import Foundation
import Testing

@Suite("Bundles: an account as one document")
struct BundleAPITests {
    /// Applying the fitness fixture and exporting it gives the same document back, and a second account
    /// that applies the export ends up with exactly the same assets.
    @Test func applyThenExportRoundTrips() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (first, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let exported = try await api.request(.get, "/v1/accounts/\(first)/bundle", agency: service.agencyA)
            #expect(exported.status == .ok)
            let assets = try #require(exported.json["assets"] as? [String: [Any]])
            #expect(assets.mapValues(\.count) == [
                "tags": 4, "lists": 2, "fields": 3, "dealGroups": 1, "dealStages": 3, "templates": 2,
                "messages": 1, "segments": 1, "forms": 1, "automations": 2, "campaigns": 1, "scores": 1,
            ])

            let (second, _) = try await api.sandboxWithToken(agency: service.agencyA)
            let applied = try await api.request(.put, "/v1/accounts/\(second)/bundle", agency: service.agencyA, data: exported.body)
            #expect(applied.json as? [String: Int] == ["created": 22, "updated": 0, "deleted": 0])
            let again = try await api.request(.get, "/v1/accounts/\(second)/bundle", agency: service.agencyA)
            #expect(again.body == exported.body)

            // Applying the same document twice changes nothing.
            let twice = try await api.request(.put, "/v1/accounts/\(second)/bundle", agency: service.agencyA, data: exported.body)
            #expect(twice.json as? [String: Int] == ["created": 0, "updated": 22, "deleted": 0])
        }
    }

    /// An invalid bundle is refused naming the bad item, and nothing of it is written.
    @Test func invalidBundleWritesNothing() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, token) = try await api.sandboxWithToken(agency: service.agencyA)
            var document = try JSONSerialization.jsonObject(with: try Fixtures.fitnessStudio) as! [String: Any]
            var assets = document["assets"] as! [String: Any]
            var forms = assets["forms"] as! [[String: Any]]
            forms[0]["lists"] = ["2", "9"]
            assets["forms"] = forms
            document["assets"] = assets
            let reply = try await api.request(.put, "/v1/accounts/\(id)/bundle", agency: service.agencyA, data: try JSONSerialization.data(withJSONObject: document))
            #expect(reply.status == .unprocessableContent)
            #expect((reply.json["error"] as? [String: String])?["field"] == "assets.forms[0].lists.1")
            let tags = try await api.request(.get, "/api/3/tags", apiToken: token)
            #expect(tags.json["meta"] as? [String: String] == ["total": "0"])

            let missingName = try await api.request(.put, "/v1/accounts/\(id)/bundle", agency: service.agencyA, json: ["assets": ["tags": [["id": "1"]]]])
            #expect((missingName.json["error"] as? [String: String])?["field"] == "assets.tags[0].tag")
        }
    }

    /// A bundle replaces the configuration: assets it leaves out are removed, ids continue after the largest.
    @Test func applyRemovesWhatTheBundleLeavesOut() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, token) = try await api.fitnessSandbox(agency: service.agencyA)
            let applied = try await api.request(.put, "/v1/accounts/\(id)/bundle", agency: service.agencyA, json: ["assets": ["tags": [["id": "7", "tag": "Only"]]]])
            #expect(applied.json as? [String: Int] == ["created": 1, "updated": 0, "deleted": 22])
            let next = try await api.request(.post, "/api/3/tags", apiToken: token, json: ["tag": ["tag": "Next"]])
            #expect((next.json["tag"] as? [String: Any])?["id"] as? String == "8")
        }
    }

    /// Another agency cannot read or write the bundle of an account it does not own.
    @Test func bundlesAreIsolatedBetweenAgencies() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, _) = try await api.fitnessSandbox(agency: service.agencyA)
            #expect(try await api.request(.get, "/v1/accounts/\(id)/bundle", agency: service.agencyB).status == .notFound)
            #expect(try await api.request(.put, "/v1/accounts/\(id)/bundle", agency: service.agencyB, json: ["assets": [:]]).status == .notFound)
        }
    }
}
