import AgencyDomain
import AgencyStorage
import Foundation
import GRDB
import Testing

/// An update is one transaction: dry runs, retries, failures half-way and concurrent client edits.
@Suite("Updates: all or nothing")
struct UpdateSafetyTests {
    /// The sandbox changes one field, adds a tag and removes another; the client edits a template.
    func changedFixture() async throws -> (UpdateFixture, v2: Int64) {
        let fixture = try await UpdateFixture.make()
        try await fixture.edit(fixture.accountID, .template, 1) { $0["subject"] = .string("Client's") }
        try await fixture.edit(fixture.sandboxID, .template, 1) { $0["html"] = .string("<p>New</p>") }
        try await fixture.create(fixture.sandboxID, .tag, ["tag": .string("New")])
        try await fixture.database.deleteAsset(accountID: fixture.sandboxID, kind: .tag, id: 3)
        return (fixture, try await fixture.snapshot())
    }

    @Test func aDryRunReportsTheSameAndWritesNothing() async throws {
        let (fixture, v2) = try await changedFixture()
        let before = try await fixture.state()
        let preview = try await fixture.update(to: v2, dryRun: true)
        #expect(try await fixture.state() == before)
        var real = try await fixture.update(to: v2)
        #expect(try await fixture.state() != before)
        real.dryRun = true
        #expect(preview == real)
        #expect(!preview.applied.isEmpty && !preview.created.isEmpty && !preview.removed.isEmpty && !preview.kept.isEmpty)
    }

    @Test func aRetryChangesNothing() async throws {
        let (fixture, v2) = try await changedFixture()
        let first = try await fixture.database.updateAccount(
            id: fixture.accountID, agencyID: fixture.agencyID, options: UpdateOptions(snapshotID: v2), idempotency: ("push-7", [1, 2, 3])
        )
        let after = try await fixture.state()
        let replayed = try await fixture.database.updateAccount(
            id: fixture.accountID, agencyID: fixture.agencyID, options: UpdateOptions(snapshotID: v2), idempotency: ("push-7", [1, 2, 3])
        )
        #expect(replayed == first)
        #expect(try await fixture.state() == after)
        // Without a key, the account is already at v2: nothing to do, and nothing recorded.
        let again = try await fixture.update(to: v2)
        #expect(again.counts.values.allSatisfy { $0 == 0 })
        #expect(try await fixture.state() == after)
        // The same key with another request is a mistake, said as such.
        await #expect(throws: DomainError.self) {
            try await fixture.database.updateAccount(
                id: fixture.accountID, agencyID: fixture.agencyID, options: UpdateOptions(snapshotID: v2, policy: .takeSnapshot), idempotency: ("push-7", [9])
            )
        }
    }

    /// A failure at the last write (the history row) leaves the account exactly as it was.
    @Test func aFailureHalfWayLeavesTheAccountAsItWas() async throws {
        let (fixture, v2) = try await changedFixture()
        let before = try await fixture.state()
        try await DatabaseQueue(path: fixture.file.path).write { db in
            try db.execute(sql: "CREATE TRIGGER injected_failure BEFORE INSERT ON account_updates BEGIN SELECT RAISE(ABORT, 'injected'); END")
        }
        await #expect(throws: (any Error).self) { try await fixture.update(to: v2) }
        #expect(try await fixture.state() == before)
        try await DatabaseQueue(path: fixture.file.path).write { db in try db.execute(sql: "DROP TRIGGER injected_failure") }
        _ = try await fixture.update(to: v2)
        #expect(try await fixture.state() != before)
    }

    /// A client edit (v3's PUT: the fields it names) racing the update: whichever commits first, both
    /// changes are there at the end.
    @Test func anUpdateRacingAClientEditLosesNeither() async throws {
        for round in 0..<5 {
            let fixture = try await UpdateFixture.make()
            try await fixture.edit(fixture.sandboxID, .template, 1) { $0["html"] = .string("<p>Agency \(round)</p>") }
            let v2 = try await fixture.snapshot()
            async let update = fixture.update(to: v2)
            async let edit = fixture.database.changeAsset(accountID: fixture.accountID, kind: .template, id: 1, fields: ["subject": .string("Client \(round)")])
            _ = try await (update, edit)
            let template = try await fixture.body(.template, 1)
            #expect(template["html"] == .string("<p>Agency \(round)</p>"))
            #expect(template["subject"] == .string("Client \(round)"))
        }
    }

    /// After an update the account holds no dangling reference, its base is the new snapshot even once
    /// that snapshot is deleted, and its history keeps both digests.
    @Test func afterAnUpdateTheBaseAndHistoryAreKept() async throws {
        let (fixture, v2) = try await changedFixture()
        let report = try await fixture.update(to: v2)
        let snapshot = try await fixture.database.snapshot(id: v2, agencyID: fixture.agencyID)
        try await fixture.database.deleteSnapshot(id: v2, agencyID: fixture.agencyID)
        try await fixture.database.deleteSnapshot(id: fixture.v1, agencyID: fixture.agencyID)
        let check = try await fixture.database.verifyAccount(id: fixture.accountID, agencyID: fixture.agencyID)
        #expect(check.ok && check.dangling.isEmpty)
        #expect(check.differences == ["template 1: edited by the client (/subject)"])
        let history = try await fixture.database.updateHistory(accountID: fixture.accountID, agencyID: fixture.agencyID)
        #expect(history.map(\.toSnapshotID) == [v2])
        #expect(history.first?.toDigest == snapshot.digest && history.first?.counts == report.counts)
    }

    /// Snapshots of another sandbox, older ones, and accounts not made from a snapshot are refused.
    @Test func onlyNewerSnapshotsOfTheSameSandbox() async throws {
        let fixture = try await UpdateFixture.make()
        let (other, _) = try await fixture.database.createAccount(
            agencyID: fixture.agencyID, name: "Other", kind: .sandbox, passwordHash: "x", makeUsername: { "o-\(UUID().uuidString)" }
        )
        let foreign = try await fixture.database.createSnapshot(agencyID: fixture.agencyID, sandboxID: other.id, name: "o", includes: [])
        let foreignError = await #expect(throws: DomainError.self) { _ = try await fixture.update(to: foreign.id) }
        #expect(foreignError?.code == "snapshot_of_another_sandbox")
        let v2 = try await fixture.snapshot()
        _ = try await fixture.update(to: v2)
        let olderError = await #expect(throws: DomainError.self) { _ = try await fixture.update(to: fixture.v1) }
        #expect(olderError?.code == "snapshot_not_newer")
        let (blank, _) = try await fixture.database.createAccount(
            agencyID: fixture.agencyID, name: "Blank", kind: .paid, passwordHash: "x", makeUsername: { "b-\(UUID().uuidString)" }
        )
        let blankError = await #expect(throws: DomainError.self) {
            _ = try await fixture.database.updateAccount(id: blank.id, agencyID: fixture.agencyID, options: UpdateOptions(snapshotID: v2))
        }
        #expect(blankError?.code == "not_from_snapshot")
    }
}
