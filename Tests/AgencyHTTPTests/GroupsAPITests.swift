import Foundation
import Testing

/// v3's user groups, list groups and `users/me`: read by clients at start-up.
@Suite("Per-account API: groups, listGroups, users/me")
struct GroupsAPITests {
    /// A list group references its list and group: the group cannot go while it does, and both travel
    /// with a snapshot into a provisioned account, references intact.
    @Test func listGroupsReferenceListsAndGroupsAndTravelWithSnapshots() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, token) = try await api.fitnessSandbox(agency: service.agencyA)
            let group = try await api.request(.post, "/api/3/groups", apiToken: token, json: ["group": ["title": "Front desk", "descript": "Sees members"]])
            #expect(group.status == .created)
            #expect((group.json["group"] as? [String: Any])?["id"] as? String == "1")
            let link = try await api.request(.post, "/api/3/listGroups", apiToken: token, json: ["listGroup": ["listid": 1, "groupid": "1"]])
            #expect(link.status == .created, "\(link.text)")
            #expect((link.json["listGroup"] as? [String: Any])?["listid"] as? String == "1")
            let missing = try await api.request(.post, "/api/3/listGroups", apiToken: token, json: ["listGroup": ["listid": "9", "groupid": "1"]])
            #expect(missing.status == .unprocessableContent)
            let inUse = try await api.request(.delete, "/api/3/groups/1", apiToken: token)
            #expect(inUse.status == .conflict)
            #expect(try await api.request(.get, "/api/3/groups?filters[title]=front desk", apiToken: token).json["meta"] as? [String: String] == ["total": "1"])

            let snapshot = try await api.request(.post, "/v1/snapshots", agency: service.agencyA, json: ["sandbox_id": sandbox, "name": "With groups"])
            let snapshotID = try #require(snapshot.json["id"] as? Int)
            let client = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["kind": "paid", "snapshot_id": snapshotID, "name": "Client"])
            let clientToken = try await api.accountToken(try #require(client.json["id"] as? Int), agency: service.agencyA)
            let listGroups = try await api.request(.get, "/api/3/listGroups", apiToken: clientToken)
            let copied = try #require((listGroups.json["listGroups"] as? [[String: Any]])?.first)
            #expect(copied["listid"] as? String == "1")
            #expect(copied["groupid"] as? String == "1")
            let references = try await api.request(.get, "/api/3/groups/1/references", apiToken: clientToken)
            #expect(references.status == .ok)
            #expect((references.json["usedBy"] as? [Any])?.count == 1, "\(references.text)")
        }
    }

    @Test func usersMeIsTheAccountsUser() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, reply) = try await api.createSandbox("Front Desk Studio", agency: service.agencyA)
            let username = try #require((reply.json["credentials"] as? [String: String])?["username"])
            let token = try await api.accountToken(sandbox, agency: service.agencyA)
            let me = try await api.request(.get, "/api/3/users/me", apiToken: token)
            #expect(me.status == .ok)
            let user = try #require(me.json["user"] as? [String: Any])
            #expect(user["username"] as? String == username)
            #expect(user["id"] is String)
            #expect(try await api.request(.get, "/api/3/users/me").status == .unauthorized)
        }
    }
}
