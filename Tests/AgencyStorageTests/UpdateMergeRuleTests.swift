import AgencyDomain
import AgencyStorage
import Foundation
import GRDB
import Testing

/// One test per row of the merge rules in docs/updates.md: a client account made from snapshot 1,
/// the sandbox improved and snapshotted again, the account updated to it.
@Suite("Updates: the merge rules")
struct UpdateMergeRuleTests {
    @Test func changedOnlyInTheSnapshotIsApplied() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.edit(fixture.sandboxID, .tag, 1) { $0["description"] = .string("Came in through a form") }
        let report = try await fixture.update(to: try await fixture.snapshot())
        #expect(report.applied.map(\.pointers) == [["/description"]])
        #expect(try await fixture.body(.tag, 1)["description"] == .string("Came in through a form"))
        // Equal to the new snapshot's body, so it shares that body again instead of holding a copy.
        #expect(try fixture.isShared(.tag, 1))
        let account = try await fixture.database.account(id: fixture.accountID, agencyID: fixture.agencyID)
        #expect(account.source?.snapshotID == report.toSnapshotID)
    }

    /// A changed reference in an untouched asset moves its entry in the reference index too.
    @Test func aChangedReferenceIsReindexed() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.edit(fixture.sandboxID, .automation, 1) {
            $0["steps"] = .array([.object(["type": .string("add_tag"), "tag": .string("3")]), .object(["type": .string("send_email"), "template": .string("1")])])
        }
        let report = try await fixture.update(to: try await fixture.snapshot())
        #expect(report.applied.first?.pointers == ["/steps/0/tag"])
        #expect(try fixture.isShared(.automation, 1))
        let uses = try await fixture.database.references(accountID: fixture.accountID, kind: .automation, id: 1).uses
        #expect(uses.map { "\($0.kind.rawValue) \($0.id) \($0.pointer)" }.sorted() == ["tag 1 /trigger/tag", "tag 3 /steps/0/tag", "template 1 /steps/1/template"])
        // Tag 2 is no longer used, so the client may delete it.
        try await fixture.database.deleteAsset(accountID: fixture.accountID, kind: .tag, id: 2)
        #expect(try await fixture.database.verifyAccount(id: fixture.accountID, agencyID: fixture.agencyID).referencesIntact)
    }

    @Test func changedOnlyByTheClientIsKept() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.edit(fixture.accountID, .template, 1) { $0["subject"] = .string("Welcome to Northside") }
        try await fixture.edit(fixture.sandboxID, .template, 1) { $0["html"] = .string("<p>Hello and welcome</p>") }
        let report = try await fixture.update(to: try await fixture.snapshot())
        let template = try await fixture.body(.template, 1)
        #expect(template["subject"] == .string("Welcome to Northside"))
        #expect(template["html"] == .string("<p>Hello and welcome</p>"))
        #expect(report.applied.first?.pointers == ["/html"])
        #expect(report.kept.first?.pointers == ["/subject"])
        #expect(report.conflicts.isEmpty)
        // The client's edit is still drift after the update, now against the new base.
        let drift = try await fixture.database.drift(accountID: fixture.accountID, agencyID: fixture.agencyID)
        #expect(drift.edited.map { $0.changes.map(\.pointer) } == [["/subject"]])
    }

    @Test(arguments: [MergePolicy.keepClient, .takeSnapshot])
    func changedOnBothSidesIsAConflictThePolicySettles(policy: MergePolicy) async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.edit(fixture.accountID, .template, 1) { $0["subject"] = .string("Client's subject") }
        try await fixture.edit(fixture.sandboxID, .template, 1) { $0["subject"] = .string("Agency's subject") }
        let report = try await fixture.update(to: try await fixture.snapshot(), policy: policy)
        let conflict = try #require(report.conflicts.first)
        #expect(conflict.fields == [FieldConflict(pointer: "/subject", base: .string("Hi"), client: .string("Client's subject"), snapshot: .string("Agency's subject"))])
        #expect(conflict.resolution == policy)
        let expected = policy == .keepClient ? "Client's subject" : "Agency's subject"
        #expect(try await fixture.body(.template, 1)["subject"] == .string(expected))
    }

    @Test func theSameChangeOnBothSidesIsNoConflict() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.edit(fixture.accountID, .tag, 2) { $0["description"] = .string("Paying") }
        try await fixture.edit(fixture.sandboxID, .tag, 2) { $0["description"] = .string("Paying") }
        let report = try await fixture.update(to: try await fixture.snapshot())
        #expect(report.conflicts.isEmpty && report.applied.isEmpty && report.kept.isEmpty)
        #expect(try fixture.isShared(.tag, 2))
    }

    /// The client made tags 4 and 5 of its own; the sandbox adds its tag 4 and an automation that uses
    /// it. The arrivals take the account's next ids and every reference follows them.
    @Test func addedInTheSnapshotArrivesWithItsReferencesMapped() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.create(fixture.accountID, .tag, ["tag": .string("Walk-in")])
        try await fixture.create(fixture.accountID, .tag, ["tag": .string("Referral")])
        let newTag = try await fixture.create(fixture.sandboxID, .tag, ["tag": .string("Trial ended")])
        let newAutomation = try await fixture.create(fixture.sandboxID, .automation, [
            "name": .string("Win back"), "status": .string("active"),
            "trigger": .object(["type": .string("tag_added"), "tag": .string(String(newTag))]),
            "steps": .array([.object(["type": .string("send_email"), "template": .string("1")])]),
        ])
        #expect(newTag == 4 && newAutomation == 2)
        let report = try await fixture.update(to: try await fixture.snapshot())

        let created = Dictionary(uniqueKeysWithValues: report.created.map { ($0.name, $0) })
        let arrivedTag = try #require(created["Trial ended"])
        #expect(arrivedTag.id == 6)  // 4 and 5 are the client's
        #expect(try await fixture.body(.tag, 4)["tag"] == .string("Walk-in"))
        let automation = try await fixture.body(.automation, try #require(created["Win back"]).id)
        #expect(automation["trigger"]?.objectValue?["tag"] == .string("6"))
        #expect(automation["status"] == .string("inactive"))  // new automations arrive inactive
        let check = try await fixture.database.verifyAccount(id: fixture.accountID, agencyID: fixture.agencyID)
        #expect(check.referencesIntact)

        // A later change to the arrival reaches the account's id 6, not the client's tag 4.
        try await fixture.edit(fixture.sandboxID, .tag, newTag) { $0["description"] = .string("After 14 days") }
        let second = try await fixture.update(to: try await fixture.snapshot("v3"))
        #expect(second.applied.map(\.id) == [6])
        #expect(try await fixture.body(.tag, 6)["description"] == .string("After 14 days"))
        #expect(try await fixture.body(.tag, 4)["description"] == .string(""))
    }

    /// The client made a tag named like one the sandbox adds later: the client's tag stands for it.
    @Test func anArrivalWithTheNameOfTheClientsOwnTagBecomesThatTag() async throws {
        let fixture = try await UpdateFixture.make()
        let clientTag = try await fixture.create(fixture.accountID, .tag, ["tag": .string("VIP"), "description": .string("ours")])
        try await fixture.create(fixture.sandboxID, .tag, ["tag": .string("vip")])
        let report = try await fixture.update(to: try await fixture.snapshot())
        #expect(report.created.isEmpty)
        #expect(report.kept.map(\.id) == [clientTag])
        #expect(try await fixture.body(.tag, clientTag)["description"] == .string("ours"))
    }

    @Test func removedInTheSnapshotAndUntouchedIsRemoved() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.database.deleteAsset(accountID: fixture.sandboxID, kind: .tag, id: 3)
        let report = try await fixture.update(to: try await fixture.snapshot())
        #expect(report.removed.map(\.id) == [3])
        #expect(try await fixture.exists(.tag, 3) == false)
    }

    @Test func removedInTheSnapshotButEditedByTheClientIsKept() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.edit(fixture.accountID, .tag, 3) { $0["description"] = .string("We still use this") }
        try await fixture.database.deleteAsset(accountID: fixture.sandboxID, kind: .tag, id: 3)
        let report = try await fixture.update(to: try await fixture.snapshot())
        #expect(report.removed.isEmpty)
        #expect(report.kept.first?.reason == "removed in the snapshot, but edited by the client")
        #expect(try await fixture.exists(.tag, 3))
        // It is the client's own from now on.
        let drift = try await fixture.database.drift(accountID: fixture.accountID, agencyID: fixture.agencyID)
        #expect(drift.added.map(\.id) == [3])
    }

    @Test func removedInTheSnapshotButUsedByTheClientIsKept() async throws {
        let fixture = try await UpdateFixture.make()
        let form = try await fixture.create(fixture.accountID, .form, ["name": .string("Signup"), "tags": .array([.string("3")])])
        try await fixture.database.deleteAsset(accountID: fixture.sandboxID, kind: .tag, id: 3)
        let report = try await fixture.update(to: try await fixture.snapshot())
        #expect(report.kept.first?.reason == "removed in the snapshot, but still used by form \(form)")
        #expect(try await fixture.exists(.tag, 3))
    }

    @Test func removedInTheSnapshotButOnTheClientsContactsIsKept() async throws {
        let fixture = try await UpdateFixture.make()
        let contact = try await fixture.database.createContact(accountID: fixture.accountID, try ContactDraft(email: "ann@example.com", firstName: nil, lastName: nil, phone: nil))
        _ = try await fixture.database.link(.tag, accountID: fixture.accountID, contactID: contact.id, assetID: 3, value: nil)
        try await fixture.database.deleteAsset(accountID: fixture.sandboxID, kind: .tag, id: 3)
        let report = try await fixture.update(to: try await fixture.snapshot())
        #expect(report.kept.first?.reason == "removed in the snapshot, but contacts have this tag")
        #expect(try await fixture.exists(.tag, 3))
    }

    /// What the sandbox removes together (an automation and the template only it sends) goes together.
    @Test func removedTogetherGoesTogether() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.database.deleteAsset(accountID: fixture.sandboxID, kind: .automation, id: 1)
        try await fixture.database.deleteAsset(accountID: fixture.sandboxID, kind: .template, id: 1)
        let report = try await fixture.update(to: try await fixture.snapshot())
        #expect(Set(report.removed.map(\.kind)) == [.automation, .template])
        #expect(try await fixture.database.verifyAccount(id: fixture.accountID, agencyID: fixture.agencyID).referencesIntact)
    }

    @Test func deletedByTheClientAndUnchangedStaysDeleted() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.database.deleteAsset(accountID: fixture.accountID, kind: .tag, id: 3)
        try await fixture.edit(fixture.sandboxID, .tag, 1) { $0["description"] = .string("x") }
        let report = try await fixture.update(to: try await fixture.snapshot())
        #expect(report.created.isEmpty && report.conflicts.isEmpty)
        #expect(try await fixture.exists(.tag, 3) == false)
        let drift = try await fixture.database.drift(accountID: fixture.accountID, agencyID: fixture.agencyID)
        #expect(drift.deleted.map(\.id) == [3])
    }

    @Test(arguments: [MergePolicy.keepClient, .takeSnapshot])
    func deletedByTheClientAndChangedInTheSnapshotIsAConflict(policy: MergePolicy) async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.database.deleteAsset(accountID: fixture.accountID, kind: .tag, id: 3)
        try await fixture.edit(fixture.sandboxID, .tag, 3) { $0["description"] = .string("Reworked") }
        let report = try await fixture.update(to: try await fixture.snapshot(), policy: policy)
        #expect(report.conflicts.first?.reason == "deleted by the client and changed in the snapshot")
        if policy == .keepClient {
            #expect(report.created.isEmpty)
            #expect(try await fixture.exists(.tag, 3) == false)
        } else {
            let restored = try #require(report.created.first)
            #expect(try await fixture.body(.tag, restored.id)["description"] == .string("Reworked"))
        }
    }

    /// Whether an automation runs is the client's: the sandbox's rename arrives, its status does not.
    @Test func theStatusOfExistingAutomationsIsTheClients() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.edit(fixture.accountID, .automation, 1) { $0["status"] = .string("active") }
        try await fixture.edit(fixture.sandboxID, .automation, 1) {
            $0["name"] = .string("Onboarding v2")
            $0["status"] = .string("inactive")
        }
        _ = try await fixture.update(to: try await fixture.snapshot())
        let automation = try await fixture.body(.automation, 1)
        #expect(automation["name"] == .string("Onboarding v2") && automation["status"] == .string("active"))
    }

    /// A new template's images are stripped as at provisioning, and listed for the client to upload.
    @Test func imagesOfArrivalsAreStrippedAndListed() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.create(fixture.sandboxID, .template, [
            "name": .string("Promo"), "html": .string(#"<p><img src="https://cdn.example.com/hero.png"></p>"#),
        ])
        let report = try await fixture.update(to: try await fixture.snapshot())
        let arrived = try #require(report.created.first)
        #expect(report.omitted.map(\.source) == ["https://cdn.example.com/hero.png"])
        #expect(report.omitted.map(\.assetID) == [String(arrived.id)])
        let body = try await fixture.body(.template, arrived.id)
        let html = try #require(body["html"]?.stringValue)
        #expect(!html.contains("cdn.example.com"))
    }
}
