import AgencyAPI
import Foundation
import HTTPTypes
import Testing

extension APIClient {
    /// Takes a snapshot and returns its reply.
    func snapshot(_ sandboxID: Int, name: String = "Fitness v1", include: [String]? = nil, agency token: String) async throws -> Reply {
        var body: [String: Any] = ["sandbox_id": sandboxID, "name": name]
        if let include { body["include"] = include }
        return try await request(.post, "/v1/snapshots", agency: token, json: body)
    }

    /// Provisions a client account from a snapshot.
    func provision(
        _ name: String, from snapshotID: Int, kind: String = "paid", extra: [String: Any] = [:],
        idempotencyKey: String? = nil, agency token: String
    ) async throws -> Reply {
        var headers = HTTPFields()
        if let idempotencyKey { headers[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
        let body = ["name": name, "kind": kind, "snapshot_id": snapshotID].merging(extra) { _, new in new }
        return try await request(.post, "/v1/accounts", agency: token, json: body, headers: headers)
    }
}

@Suite("Snapshots: immutable copies of a sandbox")
struct SnapshotAPITests {
    /// A snapshot records its source, time, counts per kind, a digest and the images it left out.
    @Test func snapshotDescribesWhatItHolds() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let reply = try await api.snapshot(sandbox, agency: service.agencyA)
            #expect(reply.status == .created)
            let snapshot = try reply.decode(SnapshotBody.self)
            #expect(snapshot.source_account_id == Int64(sandbox))
            #expect(snapshot.name == "Fitness v1")
            #expect(snapshot.digest.hasPrefix("sha256:") && snapshot.digest.count == 7 + 64)
            #expect(snapshot.created_at.hasSuffix("Z"))
            #expect(snapshot.contents == [
                "tags": 4, "lists": 2, "fields": 3, "dealGroups": 1, "dealStages": 3, "templates": 2,
                "messages": 1, "segments": 1, "forms": 1, "automations": 2, "campaigns": 1, "scores": 1, "groups": 0, "listGroups": 0, "fieldRels": 0,
            ])
            let omitted = try #require(snapshot.omitted)
            #expect(Set(omitted.map(\.source)) == [
                "https://cdn.example.com/bg.jpg", "https://cdn.example.com/logo.png",
                "https://cdn.example.com/a.png", "https://cdn.example.com/a@2x.png",
            ])
            #expect(omitted.allSatisfy { $0.assetKind == "template" && $0.location.hasPrefix("/html#") })
            #expect(snapshot.omitted_count == 4)
        }
    }

    /// One snapshot reads back byte for byte as created, and verifies against its digest.
    @Test func snapshotReadsBackAndVerifies() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let reply = try await api.snapshot(sandbox, agency: service.agencyA)
            let snapshot = try reply.decode(SnapshotBody.self)
            let shown = try await api.request(.get, "/v1/snapshots/\(snapshot.id)", agency: service.agencyA)
            #expect(shown.body == reply.body)
            let check = try await api.request(.post, "/v1/snapshots/\(snapshot.id)/verify", agency: service.agencyA).decode(SnapshotCheckBody.self)
            #expect(check.ok && check.recomputed_digest == snapshot.digest)
        }
    }

    /// Only a sandbox can be snapshotted, the name is required and include takes known names only.
    @Test func badSnapshotRequestsAreRefused() async throws {
        let service = try await TestService()
        try await service.test { api in
            let trial = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "Client", "kind": "trial"])
            let trialID = try #require(trial.json["id"] as? Int)
            let notSandbox = try await api.snapshot(trialID, agency: service.agencyA)
            #expect(notSandbox.status == .conflict)
            #expect(notSandbox.errorCode == "not_a_sandbox")

            let (sandbox, _) = try await api.sandboxWithToken(agency: service.agencyA)
            let noName = try await api.request(.post, "/v1/snapshots", agency: service.agencyA, json: ["sandbox_id": sandbox])
            #expect(noName.status == .unprocessableContent)
            let badInclude = try await api.snapshot(sandbox, include: ["contacts", "invoices"], agency: service.agencyA)
            #expect(badInclude.status == .unprocessableContent)
            #expect((badInclude.json["error"] as? [String: String])?["field"] == "include")
            let missing = try await api.snapshot(999_999, agency: service.agencyA)
            #expect(missing.status == .notFound)
        }
    }

    /// Snapshots can't be edited through the API: PUT and PATCH answer 405 snapshot_immutable.
    @Test func snapshotsCannotBeEdited() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let snapshot = try await api.snapshot(sandbox, agency: service.agencyA)
            let id = try #require(snapshot.json["id"] as? Int)
            for method in [HTTPRequest.Method.put, .patch] {
                let edit = try await api.request(method, "/v1/snapshots/\(id)", agency: service.agencyA, json: ["name": "Renamed"])
                #expect(edit.status == .methodNotAllowed)
                #expect(edit.errorCode == "snapshot_immutable")
            }
            let after = try await api.request(.get, "/v1/snapshots/\(id)", agency: service.agencyA)
            #expect(after.body == snapshot.body)
        }
    }

    /// Edits to the sandbox after the snapshot reach neither the snapshot nor accounts made from it.
    @Test func laterSandboxEditsDoNotReachTheSnapshot() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, sandboxToken) = try await api.fitnessSandbox(agency: service.agencyA)
            let snapshot = try await api.snapshot(sandbox, agency: service.agencyA)
            let id = try #require(snapshot.json["id"] as? Int)
            let before = try await api.provision("Before", from: id, agency: service.agencyA)

            let renamed = try await api.request(.put, "/api/3/tags/1", apiToken: sandboxToken, json: ["tag": ["tag": "Renamed in the sandbox"]])
            #expect(renamed.status == .ok)
            let deleted = try await api.request(.delete, "/api/3/campaigns/1", apiToken: sandboxToken)
            #expect(deleted.status == .ok)

            let after = try await api.request(.get, "/v1/snapshots/\(id)", agency: service.agencyA)
            #expect(after.body == snapshot.body)
            let verified = try await api.request(.post, "/v1/snapshots/\(id)/verify", agency: service.agencyA)
            #expect(verified.json["ok"] as? Bool == true)

            for reply in [before, try await api.provision("After", from: id, agency: service.agencyA)] {
                let accountID = try #require(reply.json["id"] as? Int)
                let token = try await api.accountToken(accountID, agency: service.agencyA)
                let tag = try await api.request(.get, "/api/3/tags/1", apiToken: token)
                #expect((tag.json["tag"] as? [String: Any])?["tag"] as? String != "Renamed in the sandbox")
                let campaign = try await api.request(.get, "/api/3/campaigns/1", apiToken: token)
                #expect(campaign.status == .ok)
                let check = try await api.request(.get, "/v1/accounts/\(accountID)/verify", agency: service.agencyA)
                #expect(check.json["equals_snapshot"] as? Bool == true)
            }

            // A second snapshot sees the edits; the first still doesn't.
            let second = try await api.snapshot(sandbox, name: "Fitness v2", agency: service.agencyA)
            #expect((second.json["contents"] as? [String: Int])?["campaigns"] == 0)
            #expect(second.json["digest"] as? String != snapshot.json["digest"] as? String)
        }
    }

    /// Newest first, paginated, filtered by name and by sandbox; unlimited per sandbox.
    @Test func listsNewestFirstWithFilters() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (first, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let (second, _) = try await api.sandboxWithToken(agency: service.agencyA)
            for index in 1...3 { _ = try await api.snapshot(first, name: "Gym \(index)", agency: service.agencyA) }
            _ = try await api.snapshot(second, name: "Dentist", agency: service.agencyA)

            let all = try await api.request(.get, "/v1/snapshots?limit=2", agency: service.agencyA)
            let names = (all.json["snapshots"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["Dentist", "Gym 3"])
            #expect((all.json["meta"] as? [String: Int])?["total"] == 4)
            #expect((all.json["snapshots"] as? [[String: Any]])?.first?["omitted"] == nil)

            let gyms = try await api.request(.get, "/v1/snapshots?name=Gym&offset=1", agency: service.agencyA)
            #expect((gyms.json["snapshots"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Gym 2", "Gym 1"])
            let bySandbox = try await api.request(.get, "/v1/snapshots?sandbox_id=\(second)", agency: service.agencyA)
            #expect((bySandbox.json["meta"] as? [String: Int])?["total"] == 1)
        }
    }

    /// Contacts and deals come along only when `include` asks, with their tags, lists and values.
    @Test func contactsAndDealsOnlyWhenIncluded() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, token) = try await api.fitnessSandbox(agency: service.agencyA)
            let contact = try await api.createContact("ada@example.com", apiToken: token)
            let contactID = try #require((contact.json["contact"] as? [String: Any])?["id"] as? String)
            _ = try await api.request(.post, "/api/3/contactTags", apiToken: token, json: ["contactTag": ["contact": contactID, "tag": "1"]])
            _ = try await api.request(.post, "/api/3/contactLists", apiToken: token, json: ["contactList": ["contact": contactID, "list": "1", "status": 1]])
            _ = try await api.request(.post, "/api/3/fieldValues", apiToken: token, json: ["fieldValue": ["contact": contactID, "field": "1", "value": "Yoga"]])
            let deal = try await api.request(.post, "/api/3/deals", apiToken: token, json: ["deal": ["title": "Annual", "value": 50000, "currency": "usd", "contact": contactID, "stage": "1"]])
            #expect(deal.status == .created)

            let plain = try await api.snapshot(sandbox, agency: service.agencyA)
            #expect((plain.json["contents"] as? [String: Int])?["contacts"] == nil)
            let full = try await api.snapshot(sandbox, name: "With data", include: ["deals", "contacts"], agency: service.agencyA)
            let contents = try #require(full.json["contents"] as? [String: Int])
            #expect(contents["contacts"] == 1 && contents["contactTags"] == 1 && contents["contactLists"] == 1)
            #expect(contents["fieldValues"] == 1 && contents["deals"] == 1)
            #expect(full.json["includes"] as? [String] == ["contacts", "deals"])

            let empty = try await api.provision("No data", from: try #require(plain.json["id"] as? Int), agency: service.agencyA)
            let emptyToken = try await api.accountToken(try #require(empty.json["id"] as? Int), agency: service.agencyA)
            let none = try await api.request(.get, "/api/3/contacts", apiToken: emptyToken)
            #expect((none.json["meta"] as? [String: String])?["total"] == "0")

            let withData = try await api.provision("With data", from: try #require(full.json["id"] as? Int), agency: service.agencyA)
            let accountID = try #require(withData.json["id"] as? Int)
            let dataToken = try await api.accountToken(accountID, agency: service.agencyA)
            let copied = try await api.request(.get, "/api/3/contacts/\(contactID)/contactTags", apiToken: dataToken)
            #expect((copied.json["contactTags"] as? [[String: Any]])?.first?["tag"] as? String == "1")
            let deals = try await api.request(.get, "/api/3/deals", apiToken: dataToken)
            #expect((deals.json["deals"] as? [[String: Any]])?.first?["contact"] as? String == contactID)
            let check = try await api.request(.get, "/v1/accounts/\(accountID)/verify", agency: service.agencyA)
            #expect(check.json["ok"] as? Bool == true)
            #expect(check.json["equals_snapshot"] as? Bool == true)
            // New contacts get fresh ids after the copied ones.
            let next = try await api.createContact("grace@example.com", apiToken: dataToken)
            #expect((next.json["contact"] as? [String: Any])?["id"] as? String != contactID)
        }
    }

    /// Deleting is final: the snapshot is gone, accounts made from it keep working and keep their provenance.
    @Test func deletingASnapshotKeepsItsAccounts() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let snapshot = try await api.snapshot(sandbox, agency: service.agencyA)
            let id = try #require(snapshot.json["id"] as? Int)
            let account = try await api.provision("Client", from: id, agency: service.agencyA)
            let accountID = try #require(account.json["id"] as? Int)

            #expect(try await api.request(.delete, "/v1/snapshots/\(id)", agency: service.agencyA).status == .noContent)
            #expect(try await api.request(.get, "/v1/snapshots/\(id)", agency: service.agencyA).status == .notFound)
            #expect(try await api.request(.delete, "/v1/snapshots/\(id)", agency: service.agencyA).status == .notFound)
            #expect(try await api.provision("Late", from: id, agency: service.agencyA).status == .notFound)

            let shown = try await api.request(.get, "/v1/accounts/\(accountID)", agency: service.agencyA)
            let source = try #require(shown.json["source"] as? [String: Any])
            #expect(source["snapshot_id"] as? Int == id)
            #expect(source["snapshot_name"] as? String == "Fitness v1")
            #expect(source["digest"] as? String == snapshot.json["digest"] as? String)

            let check = try await api.request(.get, "/v1/accounts/\(accountID)/verify", agency: service.agencyA)
            #expect(check.json["ok"] as? Bool == true)
            #expect(check.json["snapshot_exists"] as? Bool == false)
            // The account keeps its base, so it still knows it equals what it was made from.
            #expect(check.json["equals_snapshot"] as? Bool == true)
            #expect(check.json["references_intact"] as? Bool == true)
            let token = try await api.accountToken(accountID, agency: service.agencyA)
            let automations = try await api.request(.get, "/api/3/automations", apiToken: token)
            #expect((automations.json["meta"] as? [String: String])?["total"] == "2")
        }
    }

    /// Agency B can neither see nor use agency A's snapshot ids, nor snapshot A's sandbox.
    @Test func anotherAgencysSnapshotIsNotFound() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let snapshot = try await api.snapshot(sandbox, agency: service.agencyA)
            let id = try #require(snapshot.json["id"] as? Int)

            #expect(try await api.request(.get, "/v1/snapshots/\(id)", agency: service.agencyB).status == .notFound)
            #expect(try await api.request(.post, "/v1/snapshots/\(id)/verify", agency: service.agencyB).status == .notFound)
            #expect(try await api.request(.delete, "/v1/snapshots/\(id)", agency: service.agencyB).status == .notFound)
            #expect(try await api.provision("Stolen", from: id, agency: service.agencyB).status == .notFound)
            #expect(try await api.snapshot(sandbox, agency: service.agencyB).status == .notFound)
            let list = try await api.request(.get, "/v1/snapshots", agency: service.agencyB)
            #expect((list.json["meta"] as? [String: Int])?["total"] == 0)
            let accounts = try await api.request(.get, "/v1/accounts", agency: service.agencyB)
            #expect((accounts.json["meta"] as? [String: Int])?["total"] == 0)

            // Still there for its owner.
            #expect(try await api.request(.get, "/v1/snapshots/\(id)", agency: service.agencyA).status == .ok)
        }
    }
}
