import AgencyDomain
import AgencyStorage
import Foundation
import Testing

/// The rules' edges: what cannot be merged yet, updates of some kinds only, campaigns and deals.
@Suite("Updates: edge cases")
struct UpdateEdgeCaseTests {
    /// The sandbox makes template 1 use tag 3, which the client deleted: that change waits (a conflict
    /// with its reason), the rest is applied, and the account's base stays so the next update retries.
    @Test func aChangeThatNeedsWhatTheClientDeletedIsHeldBack() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.database.deleteAsset(accountID: fixture.accountID, kind: .tag, id: 3)
        try await fixture.edit(fixture.sandboxID, .template, 1) { $0["tags"] = .array([.string("1"), .string("3")]) }
        try await fixture.edit(fixture.sandboxID, .tag, 1) { $0["description"] = .string("From the website") }
        let v2 = try await fixture.snapshot()
        let report = try await fixture.update(to: v2, policy: .takeSnapshot)
        let conflict = try #require(report.conflicts.first)
        #expect(conflict.kind == .template && conflict.reason?.contains("tag 3 of the sandbox, which this account does not have") == true)
        #expect(report.applied.map(\.id) == [1] && report.applied.first?.kind == .tag)
        #expect(try await fixture.body(.template, 1)["tags"] == .array([.string("1")]))
        #expect(report.baseSnapshotID == fixture.v1)
        #expect(try await fixture.database.verifyAccount(id: fixture.accountID, agencyID: fixture.agencyID).referencesIntact)
        // The next update takes it up again; what was applied is not applied twice.
        let again = try await fixture.update(to: v2)
        #expect(again.conflicts.map(\.kind) == [.template] && again.applied.isEmpty)
    }

    /// Text that happens to look like the placeholder of an unmapped reference is only text: it neither
    /// holds a change back nor pulls in an asset.
    @Test func textLikeAPlaceholderIsJustText() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.database.deleteAsset(accountID: fixture.accountID, kind: .tag, id: 3)
        // The client's own edit makes the update merge the template field by field.
        try await fixture.edit(fixture.accountID, .template, 1) { $0["html"] = .string("<p>Ours</p>") }
        try await fixture.edit(fixture.sandboxID, .template, 1) { $0["subject"] = .string("missing:tag:3") }
        let report = try await fixture.update(to: try await fixture.snapshot())
        #expect(report.conflicts.isEmpty && report.created.isEmpty && report.baseSnapshotID == report.toSnapshotID)
        let template = try await fixture.body(.template, 1)
        #expect(template["subject"] == .string("missing:tag:3") && template["html"] == .string("<p>Ours</p>"))
    }

    /// `kinds` takes only those changes; the base stays, and a later full update brings the rest once.
    @Test func someKindsOnlyLeaveTheRestForLater() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.edit(fixture.sandboxID, .template, 1) { $0["subject"] = .string("New subject") }
        try await fixture.edit(fixture.sandboxID, .tag, 1) { $0["description"] = .string("New description") }
        let v2 = try await fixture.snapshot()
        let partial = try await fixture.update(to: v2, kinds: [.template])
        #expect(partial.applied.map(\.kind) == [.template] && partial.baseSnapshotID == fixture.v1)
        #expect(try await fixture.body(.tag, 1)["description"] == .string(""))
        let rest = try await fixture.update(to: v2)
        #expect(rest.applied.map(\.kind) == [.tag] && rest.baseSnapshotID == v2)
        #expect(try await fixture.database.account(id: fixture.accountID, agencyID: fixture.agencyID).source?.snapshotID == v2)
    }

    /// A new campaign arrives as a draft; once the client schedules it, the agency's later rename
    /// arrives and the schedule stays.
    @Test func campaignsArriveAsDraftsAndTheirStatusIsTheClients() async throws {
        let fixture = try await UpdateFixture.make()
        let campaign = try await fixture.create(fixture.sandboxID, .campaign, ["name": .string("Spring sale"), "status": .string("sent"), "template": .string("1")])
        let created = try #require(try await fixture.update(to: try await fixture.snapshot()).created.first)
        #expect(try await fixture.body(.campaign, created.id)["status"] == .string("draft"))
        try await fixture.edit(fixture.accountID, .campaign, created.id) { $0["status"] = .string("scheduled") }
        try await fixture.edit(fixture.sandboxID, .campaign, campaign) { $0["name"] = .string("Spring sale 2") }
        _ = try await fixture.update(to: try await fixture.snapshot("v3"))
        let body = try await fixture.body(.campaign, created.id)
        #expect(body["name"] == .string("Spring sale 2") && body["status"] == .string("scheduled"))
    }

    /// A pipeline stage the sandbox removes stays while the client's deals are in it.
    @Test func aStageWithTheClientsDealsStays() async throws {
        let fixture = try await UpdateFixture.make()
        let group = try await fixture.create(fixture.sandboxID, .dealGroup, ["title": .string("Memberships")])
        let stage = try await fixture.create(fixture.sandboxID, .dealStage, ["title": .string("Trial"), "group": .string(String(group))])
        let report = try await fixture.update(to: try await fixture.snapshot())
        let arrivedStage = try #require(report.created.first { $0.kind == .dealStage }).id
        _ = try await fixture.database.createDeal(accountID: fixture.accountID, Deal(
            title: "Ann's membership", description: "", value: 4_900, currency: "eur", contactID: nil, stageID: arrivedStage, status: 0
        ))
        try await fixture.database.deleteAsset(accountID: fixture.sandboxID, kind: .dealStage, id: stage)
        try await fixture.database.deleteAsset(accountID: fixture.sandboxID, kind: .dealGroup, id: group)
        let removal = try await fixture.update(to: try await fixture.snapshot("v3"))
        #expect(removal.removed.isEmpty)
        #expect(Set(removal.kept.compactMap(\.reason)) == [
            "removed in the snapshot, but deals are in this stage", "removed in the snapshot, but still used by dealStage \(arrivedStage)",
        ])
    }
}
