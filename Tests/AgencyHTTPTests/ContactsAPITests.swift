import Foundation
import Testing

@Suite("Per-account API: contacts in ActiveCampaign v3 shapes")
struct ContactsAPITests {
    /// Create, read, list, update and delete a contact; ids are strings and every reply is JSON.
    @Test func contactLifecycle() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let created = try await api.request(.post, "/api/3/contacts", apiToken: token, json: [
                "contact": ["email": "jane@example.com", "firstName": "Jane", "lastName": "Doe", "phone": "+41 44 000 00 00"],
            ])
            #expect(created.status == .created)
            let contact = try #require(created.json["contact"] as? [String: Any])
            #expect(contact["id"] as? String == "1")
            #expect(contact["firstName"] as? String == "Jane")

            let shown = try await api.request(.get, "/api/3/contacts/1", apiToken: token)
            #expect((shown.json["contact"] as? [String: Any])?["email"] as? String == "jane@example.com")

            let updated = try await api.request(.put, "/api/3/contacts/1", apiToken: token, json: ["contact": ["lastName": "Smith"]])
            #expect((updated.json["contact"] as? [String: Any])?["lastName"] as? String == "Smith")
            #expect((updated.json["contact"] as? [String: Any])?["firstName"] as? String == "Jane")

            let deleted = try await api.request(.delete, "/api/3/contacts/1", apiToken: token)
            #expect(deleted.status == .ok)
            #expect(deleted.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(try await api.request(.get, "/api/3/contacts/1", apiToken: token).status == .notFound)

            // Ids are never reused after a delete.
            let next = try await api.createContact("next@example.com", apiToken: token)
            #expect((next.json["contact"] as? [String: Any])?["id"] as? String == "2")
        }
    }

    /// Lists carry meta.total as a string, page with limit/offset and filter by email in any case.
    @Test func listPagesAndFilters() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            for index in 1...5 { _ = try await api.createContact("person\(index)@example.com", apiToken: token) }
            let page = try await api.request(.get, "/api/3/contacts?limit=2&offset=2", apiToken: token)
            #expect((page.json["contacts"] as? [[String: Any]])?.compactMap { $0["email"] as? String } == ["person3@example.com", "person4@example.com"])
            #expect(page.json["meta"] as? [String: String] == ["total": "5"])
            // A page past the end still counts them all; a filter counts what it matches.
            let pastTheEnd = try await api.request(.get, "/api/3/contacts?offset=7", apiToken: token)
            #expect((pastTheEnd.json["contacts"] as? [[String: Any]])?.isEmpty == true)
            #expect(pastTheEnd.json["meta"] as? [String: String] == ["total": "5"])
            let filtered = try await api.request(.get, "/api/3/contacts?email=PERSON2@example.com", apiToken: token)
            #expect((filtered.json["contacts"] as? [[String: Any]])?.count == 1)
            #expect(filtered.json["meta"] as? [String: String] == ["total": "1"])
            let v3Filter = try await api.request(.get, "/api/3/contacts?filters%5Bemail%5D=person5@example.com&unknown=1", apiToken: token)
            #expect((v3Filter.json["contacts"] as? [[String: Any]])?.first?["email"] as? String == "person5@example.com")
        }
    }

    /// A duplicate email (any letter case) and an invalid email are 422 with v3's errors[] and a JSON pointer.
    @Test func duplicateAndInvalidEmailsAre422() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            _ = try await api.createContact("jane@example.com", apiToken: token)
            let duplicate = try await api.createContact("JANE@Example.com", apiToken: token)
            #expect(duplicate.status == .unprocessableContent)
            #expect(duplicate.firstV3Error?["code"] as? String == "duplicate")
            #expect((duplicate.firstV3Error?["source"] as? [String: String])?["pointer"] == "/contact/email")
            #expect(duplicate.firstV3Error?["title"] as? String != nil)
            #expect(duplicate.firstV3Error?["detail"] as? String != nil)

            for bad in ["not-an-email", "a@b", "two@@example.com", "with space@example.com", ""] {
                let invalid = try await api.createContact(bad, apiToken: token)
                #expect(invalid.status == .unprocessableContent, "\(bad)")
                #expect((invalid.firstV3Error?["source"] as? [String: String])?["pointer"] == "/contact/email")
            }
            let total = try await api.request(.get, "/api/3/contacts", apiToken: token)
            #expect(total.json["meta"] as? [String: String] == ["total": "1"])
        }
    }

    /// contact/sync creates a contact for a new email and updates the existing one otherwise.
    @Test func syncUpsertsByEmail() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let first = try await api.request(.post, "/api/3/contact/sync", apiToken: token, json: ["contact": ["email": "sam@example.com", "firstName": "Sam"]])
            #expect(first.status == .created)
            let second = try await api.request(.post, "/api/3/contact/sync", apiToken: token, json: ["contact": ["email": "SAM@example.com", "firstName": "Samantha"]])
            #expect(second.status == .ok)
            #expect((second.json["contact"] as? [String: Any])?["id"] as? String == "1")
            #expect((second.json["contact"] as? [String: Any])?["firstName"] as? String == "Samantha")
        }
    }
}
