import Foundation
import Testing

@Suite("Sandbox limits: 100 contacts, 100 sends")
struct SandboxLimitsTests {
    /// The 100th contact is accepted, the 101st refused with sandbox_contact_limit, and nothing more is written.
    @Test func hundredthContactWorksHundredAndFirstIsRefused() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, token) = try await api.sandboxWithToken(agency: service.agencyA)
            for index in 1...100 {
                let reply = try await api.createContact("member\(index)@example.com", apiToken: token)
                #expect(reply.status == .created, "contact \(index)")
            }
            let refused = try await api.createContact("member101@example.com", apiToken: token)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.firstV3Error?["code"] as? String == "sandbox_contact_limit")
            let viaSync = try await api.request(.post, "/api/3/contact/sync", apiToken: token, json: ["contact": ["email": "member102@example.com"]])
            #expect(viaSync.firstV3Error?["code"] as? String == "sandbox_contact_limit")

            let account = try await api.request(.get, "/v1/accounts/\(id)", agency: service.agencyA)
            #expect((account.json["usage"] as? [String: Int])?["contacts"] == 100)
            let search = try await api.request(.get, "/api/3/contacts?email=member101@example.com", apiToken: token)
            #expect(search.json["meta"] as? [String: String] == ["total": "0"])
            // Updating an existing contact is not a new contact: still allowed when full.
            let update = try await api.request(.post, "/api/3/contact/sync", apiToken: token, json: ["contact": ["email": "member1@example.com", "firstName": "Ann"]])
            #expect(update.status == .ok)
        }
    }

    /// 150 creates in parallel: exactly 100 exist afterwards, and exactly 50 were refused.
    @Test func concurrentBurstStopsAtExactlyHundred() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 1...150 {
                    group.addTask { Int(try await api.createContact("burst\(index)@example.com", apiToken: token).status.code) }
                }
                return try await group.reduce(into: [Int: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(statuses == [201: 100, 422: 50])
            let account = try await api.request(.get, "/v1/accounts/\(id)", agency: service.agencyA)
            #expect((account.json["usage"] as? [String: Int])?["contacts"] == 100)
        }
    }

    /// A client account has no contact cap.
    @Test func clientAccountsAreNotCapped() async throws {
        let service = try await TestService()
        try await service.test { api in
            let created = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "Big Gym", "kind": "paid"])
            let token = try await api.accountToken(created.json["id"] as! Int, agency: service.agencyA)
            for index in 1...101 { _ = try await api.createContact("c\(index)@example.com", apiToken: token) }
            let list = try await api.request(.get, "/api/3/contacts", apiToken: token)
            #expect(list.json["meta"] as? [String: String] == ["total": "101"])
        }
    }

    /// Sends count recipients; a send that would pass 100 is refused whole, and usage shows both counts.
    @Test func sendCapIsAllOrNothing() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, token) = try await api.sandboxWithToken(agency: service.agencyA)
            for index in 1...60 { _ = try await api.createContact("r\(index)@example.com", apiToken: token) }
            func send(_ ids: ClosedRange<Int>) async throws -> APIClient.Reply {
                try await api.request(.post, "/api/3/sends", apiToken: token, json: [
                    "send": ["subject": "Welcome", "html": "<p>Hi</p>", "contacts": ids.map(String.init)],
                ])
            }
            let first = try await send(1...60)
            #expect(first.status == .created)
            #expect((first.json["send"] as? [String: Any])?["recipients"] as? String == "60")

            let tooMany = try await send(1...41)
            #expect(tooMany.status == .unprocessableContent)
            #expect(tooMany.firstV3Error?["code"] as? String == "sandbox_send_limit")
            let afterRefusal = try await api.request(.get, "/v1/accounts/\(id)", agency: service.agencyA)
            #expect(afterRefusal.json["usage"] as? [String: Int] == ["contacts": 60, "sends": 60])
            let sends = try await api.request(.get, "/api/3/sends", apiToken: token)
            #expect(sends.json["meta"] as? [String: String] == ["total": "1"])

            let exactlyFull = try await send(1...40)
            #expect(exactlyFull.status == .created)
            let full = try await api.request(.get, "/v1/accounts/\(id)", agency: service.agencyA)
            #expect(full.json["usage"] as? [String: Int] == ["contacts": 60, "sends": 100])
            #expect(try await send(1...1).firstV3Error?["code"] as? String == "sandbox_send_limit")
        }
    }

    /// A send naming a contact that does not exist is refused and records nothing.
    @Test func sendToUnknownContactWritesNothing() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, token) = try await api.sandboxWithToken(agency: service.agencyA)
            _ = try await api.createContact("x@example.com", apiToken: token)
            let reply = try await api.request(.post, "/api/3/sends", apiToken: token, json: ["send": ["subject": "Hi", "contacts": ["1", "99"]]])
            #expect(reply.status == .unprocessableContent)
            #expect((reply.firstV3Error?["source"] as? [String: String])?["pointer"] == "/send/contacts/1")
            let account = try await api.request(.get, "/v1/accounts/\(id)", agency: service.agencyA)
            #expect((account.json["usage"] as? [String: Int])?["sends"] == 0)
        }
    }
}

@Suite("A full sandbox and a duplicate email")
struct FullSandboxDuplicateTests {
    /// Issue 11: the 101st contact with an email already there is reported as a duplicate, not as the cap.
    @Test func duplicateIsReportedAsDuplicate() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            for index in 0..<100 { _ = try await api.createContact("c\(index)@example.com", apiToken: token) }
            let duplicate = try await api.createContact("C7@example.com", apiToken: token)
            #expect(duplicate.status == .unprocessableContent)
            #expect(duplicate.firstV3Error?["code"] as? String == "duplicate")
            let new = try await api.createContact("new@example.com", apiToken: token)
            #expect(new.firstV3Error?["code"] as? String == "sandbox_contact_limit")
        }
    }
}
