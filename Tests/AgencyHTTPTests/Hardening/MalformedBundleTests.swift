import Foundation
import Testing

/// Issue 10, defect 5: a document that was not a bundle answered 200 and deleted every asset.
@Suite("A malformed bundle changes nothing")
struct MalformedBundleTests {
    @Test(arguments: [
        #"{"format":"agency-snapshots.bundle/1","assets":[]}"#,
        #"{"format":"agency-snapshots.bundle/1","assets":"tags"}"#,
        #"{"format":"agency-snapshots.bundle/1","assets":null}"#,
        #"{"format":"agency-snapshots.bundle/1","asets":{}}"#,
        #"{}"#,
        #"{"assets":{"tags":["VIP"]}}"#,
        #"{"format":"agency-snapshots.bundle/1","assets":{},"extra":1}"#,
    ])
    func isRefusedAndKeepsTheAssets(document: String) async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let before = try await api.request(.get, "/v1/accounts/\(id)/bundle", agency: service.agencyA)
            let reply = try await api.request(.put, "/v1/accounts/\(id)/bundle", agency: service.agencyA, data: Data(document.utf8))
            #expect(reply.status == .unprocessableContent, "\(document): \(reply.text)")
            #expect(reply.errorCode == "invalid")
            let after = try await api.request(.get, "/v1/accounts/\(id)/bundle", agency: service.agencyA)
            #expect(after.body == before.body)
        }
    }

    /// Emptying an account takes an explicit, valid empty bundle.
    @Test func explicitEmptyBundleEmpties() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, token) = try await api.fitnessSandbox(agency: service.agencyA)
            let empty = #"{"format":"agency-snapshots.bundle/1","assets":{}}"#
            let reply = try await api.request(.put, "/v1/accounts/\(id)/bundle", agency: service.agencyA, data: Data(empty.utf8))
            #expect(reply.status == .ok, "\(reply.text)")
            let tags = try await api.request(.get, "/api/3/tags", apiToken: token)
            #expect((tags.json["meta"] as? [String: String])?["total"] == "0")
        }
    }
}
