import Foundation
import Testing

/// Issue 10, defect 1: a JSON number beyond Int64 used to trap in an integer conversion and stop the
/// whole process. Each is now a 422 naming the field, and the service goes on answering.
@Suite("Numbers out of range are refused, never trapped on")
struct UntrustedNumberTests {
    /// Every input path that reads a number as text or as an id, with 1e19 in that place.
    @Test(arguments: [
        ("/api/3/tags", #"{"tag":{"tag":1e19}}"#, "/tag/tag"),
        ("/api/3/tags", #"{"tag":{"tag":-1e300}}"#, "/tag/tag"),
        ("/api/3/forms", #"{"form":{"name":"Join","lists":[1e19]}}"#, "/form/lists/0"),
        ("/api/3/forms", #"{"form":{"name":"Join","lists":[9007199254740993]}}"#, "/form/lists/0"),
        ("/api/3/contactTags", #"{"contactTag":{"contact":1e19,"tag":1}}"#, "/contactTag/contact"),
        ("/api/3/fieldValues", #"{"fieldValue":{"contact":1,"field":1,"value":1e19}}"#, "/fieldValue/value"),
        ("/api/3/deals", #"{"deal":{"title":"Big","stage":1,"value":1e19}}"#, "/deal/value"),
        ("/api/3/deals", #"{"deal":{"title":"Big","stage":1e19}}"#, "/deal/stage"),
        ("/api/3/contactLists", #"{"contactList":{"contact":1,"list":1,"status":1e19}}"#, "/contactList/status"),
    ])
    func hugeNumbersAre422(path: String, body: String, pointer: String) async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
            _ = try await api.createContact("ada@example.com", apiToken: token)
            let reply = try await api.request(.post, path, apiToken: token, raw: body)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect((reply.firstV3Error?["source"] as? [String: String])?["pointer"] == pointer, "\(reply.text)")
            let health = try await api.request(.get, "/health")
            #expect(health.status == .ok)
        }
    }

    /// A bundle item id of 1e19 is refused with its path, and the account keeps its assets.
    @Test func hugeBundleIDIs422() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, token) = try await api.fitnessSandbox(agency: service.agencyA)
            let document = #"{"format":"agency-snapshots.bundle/1","assets":{"tags":[{"id":1e19,"tag":"VIP"}]}}"#
            let reply = try await api.request(.put, "/v1/accounts/\(id)/bundle", agency: service.agencyA, data: Data(document.utf8))
            #expect(reply.status == .unprocessableContent)
            #expect((reply.json["error"] as? [String: String])?["field"] == "assets.tags[0].id")
            let tags = try await api.request(.get, "/api/3/tags", apiToken: token)
            #expect((tags.json["meta"] as? [String: String])?["total"] != "0")
        }
    }

    /// Ids in agency API bodies (`sandbox_id`, `snapshot_id`) beyond the exact range are refused too.
    @Test func hugeAgencyIDsAre422() async throws {
        let service = try await TestService()
        try await service.test { api in
            let snapshot = try await api.request(.post, "/v1/snapshots", agency: service.agencyA, raw: #"{"sandbox_id":1e19,"name":"x"}"#)
            #expect(snapshot.status == .unprocessableContent)
            #expect((snapshot.json["error"] as? [String: String])?["field"] == "sandbox_id")
            let account = try await api.request(.post, "/v1/accounts", agency: service.agencyA, raw: #"{"name":"x","kind":"paid","snapshot_id":9223372036854775808}"#)
            #expect(account.status == .unprocessableContent)
        }
    }

    /// Whole numbers up to 2^53 still read as before: the limit refuses only what cannot be kept exactly.
    @Test func exactNumbersStillWork() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let reply = try await api.request(.post, "/api/3/tags", apiToken: token, raw: #"{"tag":{"tag":9007199254740992}}"#)
            #expect(reply.status == .created)
            #expect((reply.json["tag"] as? [String: Any])?["tag"] as? String == "9007199254740992")
        }
    }
}
