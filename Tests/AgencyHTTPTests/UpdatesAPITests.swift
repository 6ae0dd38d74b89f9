import AgencyAPI
import Foundation
import HTTPTypes
import Testing

/// Snapshot diff, drift, updates and pushes through the agency API, on the fitness-studio sandbox.
@Suite("Updates over HTTP: diff, drift, update, push")
struct UpdatesAPITests {
    /// The sandbox improves template 1's html and adds a tag that a new form uses; the client changes
    /// template 1's subject. Returns the account, its token and snapshot 2.
    func improved(_ api: APIClient, agency: String) async throws -> (fitness: FitnessSnapshot, accountID: Int64, clientToken: String, v2: Int) {
        let fitness = try await api.fitnessSnapshot(agency: agency)
        let account = try await api.provision("Northside", from: fitness.snapshotID, agency: agency).decode(AccountBody.self)
        let clientToken = try await api.accountToken(Int(account.id), agency: agency)
        let sandbox = fitness.sandboxToken
        #expect(try await api.request(.put, "/api/3/templates/1", apiToken: sandbox, json: ["template": ["html": "<p>Welcome, v2</p>"]]).status == .ok)
        let tag = try await api.request(.post, "/api/3/tags", apiToken: sandbox, json: ["tag": ["tag": "Referral"]])
        let tagID = try #require((tag.json["tag"] as? [String: Any])?["id"] as? String)
        let form = try await api.request(.post, "/api/3/forms", apiToken: sandbox, json: ["form": ["name": "Refer a friend", "tags": [tagID]]])
        #expect(form.status == .created)
        #expect(try await api.request(.put, "/api/3/templates/1", apiToken: clientToken, json: ["template": ["subject": "Welcome to Northside"]]).status == .ok)
        let v2 = try await api.request(.post, "/v1/snapshots", agency: agency, json: ["sandbox_id": fitness.sandboxID, "name": "Fitness v2"])
        return (fitness, account.id, clientToken, try #require(v2.json["id"] as? Int))
    }

    @Test func diffListsWhatChangedFieldByField() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (fitness, _, _, v2) = try await improved(api, agency: service.agencyA)
            let reply = try await api.request(.get, "/v1/snapshots/\(fitness.snapshotID)/diff/\(v2)", agency: service.agencyA)
            #expect(reply.status == .ok)
            let diff = try reply.decode(SnapshotDiffBody.self)
            let changed = try #require(diff.assets.first { $0.status == "changed" })
            #expect(changed.kind == "template" && changed.id == 1)
            #expect(changed.changes.map(\.pointer) == ["/html"])
            #expect(changed.changes.first?.new == .string("<p>Welcome, v2</p>"))
            #expect(Set(diff.assets.filter { $0.status == "added" }.map(\.kind)) == ["tag", "form"])
            #expect(diff.counts["templates"]?.changed == 1 && diff.counts["templates"]?.unchanged == 1)
            #expect(diff.counts["tags"]?.added == 1 && diff.counts["tags"]?.unchanged == 4)
        }
    }

    @Test func driftShowsTheClientsEditAndVerifyStillPasses() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, accountID, _, _) = try await improved(api, agency: service.agencyA)
            let drift = try await api.request(.get, "/v1/accounts/\(accountID)/drift", agency: service.agencyA).decode(DriftBody.self)
            #expect(drift.edited.count == 1)
            #expect(drift.edited.first?.changes.map(\.pointer) == ["/subject"])
            #expect(drift.edited.first?.changes.first?.current == .string("Welcome to Northside"))
            let check = try await api.request(.get, "/v1/accounts/\(accountID)/verify", agency: service.agencyA).decode(AccountCheckBody.self)
            #expect(check.ok && check.equals_snapshot.value == false && check.differences.count == 1)
        }
    }

    /// A dry run previews; the update applies the agency's html, keeps the client's subject, brings
    /// the new form and tag with the form pointing at the account's tag, and records the history.
    @Test func updateMergesAndKeepsTheClientsEdit() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, accountID, clientToken, v2) = try await improved(api, agency: service.agencyA)
            let before = try await api.request(.get, "/v1/accounts/\(accountID)/bundle", agency: service.agencyA).text
            let preview = try await api.request(.post, "/v1/accounts/\(accountID)/updates", agency: service.agencyA, json: ["snapshot_id": v2, "dry_run": true])
            #expect(preview.status == .ok)
            #expect(try await api.request(.get, "/v1/accounts/\(accountID)/bundle", agency: service.agencyA).text == before)

            let reply = try await api.request(.post, "/v1/accounts/\(accountID)/updates", agency: service.agencyA, json: ["snapshot_id": String(v2)])
            let report = try reply.decode(UpdateReportBody.self)
            #expect(report.applied.map(\.pointers) == [["/html"]])
            #expect(report.kept.map(\.pointers) == [["/subject"]])
            #expect(Set(report.created.map(\.kind)) == ["tag", "form"])
            var previewed = try preview.decode(UpdateReportBody.self)
            previewed.dry_run = false
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            #expect(try encoder.encode(previewed) == (try encoder.encode(report)))

            let template = try await api.request(.get, "/api/3/templates/1", apiToken: clientToken).json["template"] as? [String: Any]
            #expect(template?["subject"] as? String == "Welcome to Northside")
            #expect(template?["html"] as? String == "<p>Welcome, v2</p>")
            let formID = try #require(report.created.first { $0.kind == "form" }?.id)
            let tagID = try #require(report.created.first { $0.kind == "tag" }?.id)
            let form = try await api.request(.get, "/api/3/forms/\(formID)", apiToken: clientToken).json["form"] as? [String: Any]
            #expect(form?["tags"] as? [String] == [String(tagID)])

            let account = try await api.request(.get, "/v1/accounts/\(accountID)", agency: service.agencyA).decode(AccountBody.self)
            #expect(account.source.value?.snapshot_id == Int64(v2))
            let history = try await api.request(.get, "/v1/accounts/\(accountID)/updates", agency: service.agencyA).decode(UpdateHistoryBody.self)
            #expect(history.updates.map(\.to_snapshot_id) == [Int64(v2)])
        }
    }

    @Test func anIdempotentRetryReturnsTheFirstReport() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, accountID, _, v2) = try await improved(api, agency: service.agencyA)
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "update-northside-v2"]
            let first = try await api.request(.post, "/v1/accounts/\(accountID)/updates", agency: service.agencyA, json: ["snapshot_id": v2], headers: key)
            let retry = try await api.request(.post, "/v1/accounts/\(accountID)/updates", agency: service.agencyA, json: ["snapshot_id": v2], headers: key)
            #expect(first.status == .ok && retry.body == first.body)
            #expect(first.headers[HTTPField.Name("Idempotent-Replayed")!] == nil && retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let other = try await api.request(
                .post, "/v1/accounts/\(accountID)/updates", agency: service.agencyA, json: ["snapshot_id": v2, "policy": "take_snapshot"], headers: key
            )
            #expect(other.status == .unprocessableContent && other.errorCode == "idempotency_key_reused")
            let history = try await api.request(.get, "/v1/accounts/\(accountID)/updates", agency: service.agencyA).decode(UpdateHistoryBody.self)
            #expect(history.updates.count == 1)
        }
    }

    /// A push updates every account behind the snapshot, each on its own; one that cannot be updated
    /// is listed, and the others go on.
    @Test func pushUpdatesEveryAccountBehindTheSnapshot() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (fitness, first, _, v2) = try await improved(api, agency: service.agencyA)
            let second = try await api.provision("Eastside", from: fitness.snapshotID, agency: service.agencyA).decode(AccountBody.self)
            let blank = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "Blank", "kind": "trial"]).decode(AccountBody.self)
            let behind = try await api.request(.get, "/v1/snapshots/\(v2)/behind", agency: service.agencyA).decode(BehindReply.self)
            #expect(behind.accounts == [first, second.id])

            let preview = try await api.request(.post, "/v1/snapshots/\(v2)/push", agency: service.agencyA, json: ["accounts": "all", "dry_run": true])
            #expect(try preview.decode(PushReply.self).counts == ["previewed": 2])
            let reply = try await api.request(
                .post, "/v1/snapshots/\(v2)/push", agency: service.agencyA, json: ["accounts": [first, second.id, blank.id]]
            )
            let push = try reply.decode(PushReply.self)
            #expect(push.counts == ["updated": 2, "skipped": 1])
            #expect(push.accounts.last?.error?.code == "not_from_snapshot")
            #expect(try await api.request(.get, "/v1/snapshots/\(v2)/behind", agency: service.agencyA).decode(BehindReply.self).accounts.isEmpty)
            let again = try await api.request(.post, "/v1/snapshots/\(v2)/push", agency: service.agencyA, json: ["accounts": [first]]).decode(PushReply.self)
            #expect(again.counts == ["up_to_date": 1])
        }
    }

    /// Agency B cannot diff, push, drift or update anything of agency A's: all not found.
    @Test func anotherAgencySeesNothing() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (fitness, accountID, _, v2) = try await improved(api, agency: service.agencyA)
            let b = service.agencyB
            #expect(try await api.request(.get, "/v1/snapshots/\(fitness.snapshotID)/diff/\(v2)", agency: b).status == .notFound)
            #expect(try await api.request(.get, "/v1/snapshots/\(v2)/behind", agency: b).status == .notFound)
            #expect(try await api.request(.post, "/v1/snapshots/\(v2)/push", agency: b, json: ["accounts": "all"]).status == .notFound)
            #expect(try await api.request(.get, "/v1/accounts/\(accountID)/drift", agency: b).status == .notFound)
            #expect(try await api.request(.post, "/v1/accounts/\(accountID)/updates", agency: b, json: ["snapshot_id": v2]).status == .notFound)
            #expect(try await api.request(.get, "/v1/accounts/\(accountID)/updates", agency: b).status == .notFound)
            // Pushing A's account ids with B's own snapshot skips them as not found.
            let own = try await api.fitnessSnapshot(agency: b)
            let push = try await api.request(.post, "/v1/snapshots/\(own.snapshotID)/push", agency: b, json: ["accounts": [accountID]]).decode(PushReply.self)
            #expect(push.accounts.first?.status == "skipped" && push.accounts.first?.error?.code == "not_found")
            let drift = try await api.request(.get, "/v1/accounts/\(accountID)/drift", agency: service.agencyA).decode(DriftBody.self)
            #expect(drift.edited.count == 1)
        }
    }

    @Test func badRequestsGetClearErrors() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, accountID, _, v2) = try await improved(api, agency: service.agencyA)
            let a = service.agencyA
            let noSnapshot = try await api.request(.post, "/v1/accounts/\(accountID)/updates", agency: a, json: ["dry_run": true])
            #expect(noSnapshot.status == .unprocessableContent && noSnapshot.error?.field == "snapshot_id")
            let badPolicy = try await api.request(.post, "/v1/accounts/\(accountID)/updates", agency: a, json: ["snapshot_id": v2, "policy": "merge"])
            #expect(badPolicy.status == .unprocessableContent && badPolicy.error?.field == "policy")
            let badKind = try await api.request(.post, "/v1/accounts/\(accountID)/updates", agency: a, json: ["snapshot_id": v2, "kinds": ["widgets"]])
            #expect(badKind.status == .unprocessableContent && badKind.error?.field == "kinds[0]")
            let noAccounts = try await api.request(.post, "/v1/snapshots/\(v2)/push", agency: a, json: ["dry_run": true])
            #expect(noAccounts.status == .unprocessableContent && noAccounts.error?.field == "accounts")
            let missing = try await api.request(.post, "/v1/accounts/\(accountID)/updates", agency: a, json: ["snapshot_id": 999])
            #expect(missing.status == .notFound)
        }
    }
}
