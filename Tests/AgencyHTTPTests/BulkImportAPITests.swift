import Foundation
import Testing

/// v3's bulk import, in the shapes ActiveCampaign's reference documents.
@Suite("Per-account API: bulk_import")
struct BulkImportAPITests {
    @Test func bulkImportCreatesUpdatesAndReports() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
            _ = try await api.createContact("jane@example.com", apiToken: token)
            let reply = try await api.request(.post, "/api/3/import/bulk_import", apiToken: token, json: [
                "contacts": [
                    ["email": "JANE@example.com", "first_name": "Jane", "last_name": "Doe", "phone": "123-456-7890",
                     "tags": ["VIP", "Brand new"], "fields": [["id": 2, "value": "Yoga"]], "subscribe": [["listid": "1"]], "unsubscribe": [["listid": 2]]],
                    ["email": "max@example.com", "first_name": "Max", "subscribe": [["listid": "77"]]],
                    ["email": "eve@example.com", "fields": [["id": "2", "value": "Swim"]]],
                ],
                "callback": ["url": "https://hooks.example.com/done", "requestType": "POST"],
            ])
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["success"] as? Int == 1)
            #expect(reply.json["queued_contacts"] as? Int == 3)
            #expect(reply.json["message"] as? String == "Contact import queued")
            let batch = try #require(reply.json["batchId"] as? String)

            let info = try await api.request(.get, "/api/3/import/info?batchId=\(batch)", apiToken: token)
            #expect(info.json["status"] as? String == "completed")
            #expect(info.json["success"] as? [String] == ["1", "2"])
            let failure = try #require((info.json["failure"] as? [String])?.first)
            #expect(failure.hasPrefix("contacts[1]: unknown_list"))

            // The existing contact was updated, not duplicated; the new tag was made; lists by status.
            let contacts = try await api.request(.get, "/api/3/contacts", apiToken: token)
            #expect(contacts.json["meta"] as? [String: String] == ["total": "2"])
            #expect((contacts.json["contacts"] as? [[String: Any]])?.first?["lastName"] as? String == "Doe")
            let tags = try await api.request(.get, "/api/3/tags?limit=100", apiToken: token)
            #expect((tags.json["tags"] as? [[String: Any]])?.contains { $0["tag"] as? String == "Brand new" } == true)
            #expect(try await api.request(.get, "/api/3/contacts?listid=1", apiToken: token).json["meta"] as? [String: String] == ["total": "1"])
            let history = try await api.request(.get, "/api/3/contacts/1/listHistory", apiToken: token)
            #expect((history.json["listHistory"] as? [[String: String]])?.map { "\($0["list"]!):\($0["status"]!)" } == ["1:1", "2:2"])

            let list = try await api.request(.get, "/api/3/import/bulk_import", apiToken: token)
            #expect(list.json["outstanding"] as? [Any] != nil)
            let completed = try #require((list.json["recentlyCompleted"] as? [[String: String]])?.first)
            #expect(completed["batches"] == "1")
            #expect(completed["contacts"] == "3")
        }
    }

    /// An invalid contact refuses the whole payload, as v3 does, naming it by position.
    @Test func anInvalidPayloadIsRefusedWhole() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let reply = try await api.request(.post, "/api/3/import/bulk_import", apiToken: token, json: [
                "contacts": [["email": "fine@example.com"], ["email": "not an email"]],
            ])
            #expect(reply.status == .badRequest)
            #expect(reply.json["success"] as? Int == 0)
            let reasons = try #require(reply.json["failureReasons"] as? [[String: Any]])
            #expect(reasons.first?["contact"] as? Int == 1)
            #expect(try await api.request(.get, "/api/3/contacts", apiToken: token).json["meta"] as? [String: String] == ["total": "0"])

            let none = try await api.request(.post, "/api/3/import/bulk_import", apiToken: token, json: ["contacts": []])
            #expect(none.status == .badRequest)
            let tooMany = try await api.request(.post, "/api/3/import/bulk_import", apiToken: token, json: [
                "contacts": (0...250).map { ["email": "c\($0)@example.com"] },
            ])
            #expect(tooMany.status == .badRequest)
            let noBatch = try await api.request(.get, "/api/3/import/info", apiToken: token)
            #expect(noBatch.status == .badRequest)
            let unknownBatch = try await api.request(.get, "/api/3/import/info?batchId=nope", apiToken: token)
            #expect(unknownBatch.status == .notFound)
        }
    }

    /// One account's batch is not another's.
    @Test func batchesBelongToTheirAccount() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, tokenA) = try await api.sandboxWithToken(agency: service.agencyA)
            let (_, tokenB) = try await api.sandboxWithToken(agency: service.agencyB)
            let reply = try await api.request(.post, "/api/3/import/bulk_import", apiToken: tokenA, json: ["contacts": [["email": "a@example.com"]]])
            let batch = try #require(reply.json["batchId"] as? String)
            #expect(try await api.request(.get, "/api/3/import/info?batchId=\(batch)", apiToken: tokenB).status == .notFound)
        }
    }
}
