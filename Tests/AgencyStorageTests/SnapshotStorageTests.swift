import AgencyDomain
import AgencyStorage
import AgencyTestSupport
import Foundation
import GRDB
import Testing

/// A sandbox with `count` tags, the first `html` template, and an automation that adds tag 1.
func makeSnapshotSandbox(tags count: Int = 5) async throws -> (AppDatabase, file: TemporaryDatabaseFile, agencyID: Int64, sandboxID: Int64) {
    let file = TemporaryDatabaseFile(prefix: "snapshots")
    let database = try AppDatabase.open(path: file.path)
    let agencyID = try await database.createAgency(name: "Agency", tokenDigest: Secrets.digest(ofToken: UUID().uuidString))
    let (sandbox, _) = try await database.createAccount(
        agencyID: agencyID, name: "Workshop", kind: .sandbox, passwordHash: "x", makeUsername: { "user-\(UUID().uuidString)" }
    )
    for index in 1...count {
        _ = try await database.createAsset(accountID: sandbox.id, try AssetKind.tag.spec.draft(from: ["tag": .string("Tag \(index)")]))
    }
    _ = try await database.createAsset(accountID: sandbox.id, try AssetKind.automation.spec.draft(from: [
        "name": .string("Welcome"), "status": .string("active"),
        "trigger": .object(["type": .string("contact_added")]),
        "steps": .array([.object(["type": .string("add_tag"), "tag": .string("1")])]),
    ]))
    return (database, file, agencyID, sandbox.id)
}

func rowCount(_ table: String, path: String) throws -> Int {
    try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")! }
}

@Suite("Snapshot storage")
struct SnapshotStorageTests {
    /// The schema refuses every change to a snapshot's contents, whoever writes: only deleting the
    /// whole snapshot (through the snapshots row) is possible.
    @Test func rawSQLCannotChangeASnapshot() async throws {
        let (database, file, agencyID, sandboxID) = try await makeSnapshotSandbox()
        let path = file.path
        let snapshot = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "v1", includes: [.contacts])
        _ = try await database.createContact(accountID: sandboxID, try ContactDraft(email: "a@example.com", firstName: nil, lastName: nil, phone: nil))
        let withRecords = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "v2", includes: [.contacts])
        let queue = try DatabaseQueue(path: path)
        let attempts = [
            "UPDATE snapshots SET name = 'edited'",
            "UPDATE snapshots SET digest = 'sha256:0'",
            "UPDATE snapshot_blobs SET body = '{\"tag\":\"edited\"}'",
            "DELETE FROM snapshot_blobs",
            "UPDATE snapshot_blob_references SET to_id = 99",
            "DELETE FROM snapshot_blob_references",
            "UPDATE snapshot_versions SET blob_id = NULL",
            "DELETE FROM snapshot_versions",
            "UPDATE snapshot_records SET body = '{}'",
            "DELETE FROM snapshot_records",
        ]
        for sql in attempts {
            #expect(throws: DatabaseError.self, "\(sql)") { try queue.write { db in try db.execute(sql: sql) } }
        }
        #expect(try await database.verifySnapshot(id: snapshot.id, agencyID: agencyID).ok)
        #expect(try await database.verifySnapshot(id: withRecords.id, agencyID: agencyID).ok)
        #expect(try rowCount("snapshot_records", path: path) == 1)
    }

    /// verify notices contents that no longer match the digest (here after a trigger is dropped on purpose).
    @Test func verifyDetectsTampering() async throws {
        let (database, file, agencyID, sandboxID) = try await makeSnapshotSandbox()
        let path = file.path
        let snapshot = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "v1", includes: [])
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "DROP TRIGGER snapshot_blobs_are_immutable")
            try db.execute(sql: "UPDATE snapshot_blobs SET body = '{\"tag\":\"Tampered\",\"tagType\":\"contact\",\"description\":\"\"}' WHERE name = 'Tag 2'")
        }
        let check = try await database.verifySnapshot(id: snapshot.id, agencyID: agencyID)
        #expect(!check.ok)
        #expect(check.problems.contains("tag 2: its body does not match its hash"))
        #expect(check.actualDigest != snapshot.digest)
    }

    /// A second snapshot after one change writes one new body and one new version, not a copy of all.
    @Test func unchangedAssetsAreStoredOnce() async throws {
        let (database, file, agencyID, sandboxID) = try await makeSnapshotSandbox(tags: 50)
        let path = file.path
        _ = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "v1", includes: [])
        let (blobs, versions) = (try rowCount("snapshot_blobs", path: path), try rowCount("snapshot_versions", path: path))
        #expect(blobs == 51 && versions == 51)
        _ = try await database.updateAsset(accountID: sandboxID, id: 7, try AssetKind.tag.spec.draft(from: ["tag": .string("Renamed")]))
        try await database.deleteAsset(accountID: sandboxID, kind: .tag, id: 9)
        _ = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "v2", includes: [])
        #expect(try rowCount("snapshot_blobs", path: path) == blobs + 1)
        #expect(try rowCount("snapshot_versions", path: path) == versions + 2)  // tag 7 changed, tag 9 gone
    }

    /// Each snapshot keeps seeing exactly what it saw, whichever other snapshots are deleted; deleting
    /// the last one leaves no rows behind.
    @Test func deletingSnapshotsKeepsTheOthersWhole() async throws {
        let (database, file, agencyID, sandboxID) = try await makeSnapshotSandbox(tags: 3)
        let path = file.path
        var snapshots: [Snapshot] = []
        for step in 1...4 {
            _ = try await database.updateAsset(accountID: sandboxID, id: 1, try AssetKind.tag.spec.draft(from: ["tag": .string("Step \(step)")]))
            if step == 3 { try await database.deleteAsset(accountID: sandboxID, kind: .tag, id: 3) }
            snapshots.append(try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "s\(step)", includes: []))
        }
        func tagName(in snapshot: Snapshot) async throws -> (String?, Int, Int64) {
            let account = try await database.provision(
                ProvisionRequest(agencyID: agencyID, snapshotID: snapshot.id, name: "c", kind: .trial, options: ProvisioningOptions(),
                                 passwordHash: "x", makeUsername: { "u-\(UUID().uuidString)" }, idempotency: nil)
            )
            guard case .created(let created, _) = account else { return (nil, 0, 0) }
            let tags = try await database.assets(accountID: created.id, kind: .tag, query: AssetQuery())
            #expect(try await database.verifyAccount(id: created.id, agencyID: agencyID).ok)
            return (tags.assets.first { $0.id == 1 }?.name, tags.total, created.id)
        }
        var deleted: Set<Int> = []
        for index in [1, 0, 3] {
            try await database.deleteSnapshot(id: snapshots[index].id, agencyID: agencyID)
            deleted.insert(index)
            for remaining in snapshots.indices where !deleted.contains(remaining) {
                #expect(try await database.verifySnapshot(id: snapshots[remaining].id, agencyID: agencyID).ok)
            }
        }
        // Only s3 is left: tag 1 as of step 3, tag 3 already gone.
        let (name, count, accountID) = try await tagName(in: snapshots[2])
        #expect(name == "Step 3")
        #expect(count == 2)
        try await database.deleteSnapshot(id: snapshots[2].id, agencyID: agencyID)
        for table in ["snapshots", "snapshot_versions", "snapshot_records"] {
            #expect(try rowCount(table, path: path) == 0, "\(table)")
        }
        // The account made from s3 still shares its bodies; they go with the account.
        let shared = try await DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(DISTINCT shared_blob) FROM assets WHERE account_id = ?", arguments: [accountID]) ?? 0
        }
        let blobs = try rowCount("snapshot_blobs", path: path)
        #expect(shared > 0 && blobs == shared)
        try await database.deleteAccount(id: accountID, agencyID: agencyID)
        for table in ["snapshot_blobs", "snapshot_blob_references"] {
            #expect(try rowCount(table, path: path) == 0, "\(table)")
        }
    }

    /// Provisioning copies ids unchanged and sets the id sequences, so new assets continue after them.
    @Test func provisionedAccountsContinueTheirIds() async throws {
        let (database, file, agencyID, sandboxID) = try await makeSnapshotSandbox(tags: 5)
        defer { withExtendedLifetime(file) {} }
        let snapshot = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "v1", includes: [])
        let outcome = try await database.provision(
            ProvisionRequest(agencyID: agencyID, snapshotID: snapshot.id, name: "Client", kind: .paid, options: ProvisioningOptions(),
                             passwordHash: "x", makeUsername: { "u-\(UUID().uuidString)" }, idempotency: nil)
        )
        guard case .created(let account, _) = outcome else { Issue.record("not created"); return }
        #expect(account.source?.snapshotID == snapshot.id)
        #expect(account.limits.contacts == nil)
        let next = try await database.createAsset(accountID: account.id, try AssetKind.tag.spec.draft(from: ["tag": .string("New")]))
        #expect(next.id == 6)
        let automation = try await database.asset(accountID: account.id, kind: .automation, id: 1)
        #expect(automation.body["status"] == .string("inactive"))
    }
}
