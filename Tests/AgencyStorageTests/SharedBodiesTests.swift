import AgencyDomain
import AgencyStorage
import AgencyTestSupport
import Foundation
import GRDB
import Testing

/// Client accounts share their snapshot's bodies until the client edits one (migration 0005).
@Suite("Shared asset bodies")
struct SharedBodiesTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schema-0004")

    /// A database made before 0005: opening it migrates every unedited asset to a shared body, keeps
    /// the client's edit as its own, and changes nothing an account exports or verifies.
    @Test func migratingAnOldDatabaseChangesNothingVisible() async throws {
        let file = TemporaryDatabaseFile(prefix: "schema-0004")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("provisioned.db"), to: URL(fileURLWithPath: file.path))
        let database = try AppDatabase.open(path: file.path)
        #expect(try database.appliedMigrations().contains("0005_shared_asset_bodies"))

        let layout = try await DatabaseQueue(path: file.path).read { db in
            try Row.fetchAll(db, sql: "SELECT account_id, kind, id, shared_blob IS NOT NULL AS shared FROM assets WHERE account_id IN (2, 3)")
        }
        let owned = layout.filter { !($0["shared"] as Bool) }.map { "\($0["account_id"] as Int64) \($0["kind"] as String) \($0["id"] as Int64)" }
        #expect(owned == ["2 template 1"])
        #expect(layout.count == 44)

        for account: Int64 in [2, 3] {
            let before = try JSONValue.parse(String(contentsOf: Self.fixtures.appendingPathComponent("account-\(account).bundle.json"), encoding: .utf8))
            #expect(try await database.exportBundle(accountID: account) == before)
        }
        let edited = try await database.verifyAccount(id: 2, agencyID: 1)
        #expect(edited.ok && edited.differences.count == 1 && edited.differences[0].hasPrefix("template 1: edited by the client"))
        let untouched = try await database.verifyAccount(id: 3, agencyID: 1)
        #expect(untouched.ok && untouched.equalsSnapshot == true)
    }

    /// A provisioned account holds no body of its own; an edit gives that one asset its own body and
    /// leaves the snapshot, the sandbox and the other assets as they were.
    @Test func anEditCopiesOnlyThatBody() async throws {
        let (database, file, agencyID, sandboxID) = try await makeSnapshotSandbox(tags: 5)
        let snapshot = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "v1", includes: [])
        let account = try await provision(database, agencyID: agencyID, snapshotID: snapshot.id)
        let ownBodies = { @Sendable () async throws -> Int in
            try await DatabaseQueue(path: file.path).read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM assets WHERE account_id = ? AND shared_blob IS NULL", arguments: [account]) ?? -1
            }
        }
        #expect(try await ownBodies() == 0)

        _ = try await database.updateAsset(accountID: account, id: 2, try AssetKind.tag.spec.draft(from: ["tag": .string("Client's own")]))
        #expect(try await ownBodies() == 1)
        #expect(try await database.asset(accountID: account, kind: .tag, id: 2).name == "Client's own")
        #expect(try await database.asset(accountID: sandboxID, kind: .tag, id: 2).name != "Client's own")
        #expect(try await database.verifySnapshot(id: snapshot.id, agencyID: agencyID).ok)
    }

    /// Deleting the snapshot keeps every body an account still shares; the account reads as before.
    @Test func deletingTheSnapshotKeepsSharedBodies() async throws {
        let (database, file, agencyID, sandboxID) = try await makeSnapshotSandbox(tags: 5)
        let snapshot = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "v1", includes: [])
        let account = try await provision(database, agencyID: agencyID, snapshotID: snapshot.id)
        let before = try await database.exportBundle(accountID: account)
        try await database.deleteSnapshot(id: snapshot.id, agencyID: agencyID)
        #expect(try await database.exportBundle(accountID: account) == before)
        let check = try await database.verifyAccount(id: account, agencyID: agencyID)
        #expect(check.referencesIntact && check.snapshotExists == false)
        // Not even raw SQL removes a body an account still shares.
        await #expect(throws: DatabaseError.self) {
            try await DatabaseQueue(path: file.path).write { db in try db.execute(sql: "DELETE FROM snapshot_blobs") }
        }
        // Once the account is gone too, nothing holds the bodies and they go with it.
        try await database.deleteAccount(id: account, agencyID: agencyID)
        let snapshot2 = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "v2", includes: [])
        try await database.deleteSnapshot(id: snapshot2.id, agencyID: agencyID)
        let blobs = try await DatabaseQueue(path: file.path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM snapshot_blobs") }
        #expect(blobs == 0)
    }

    func provision(_ database: AppDatabase, agencyID: Int64, snapshotID: Int64) async throws -> Int64 {
        let outcome = try await database.provision(ProvisionRequest(
            agencyID: agencyID, snapshotID: snapshotID, name: "Client", kind: .paid, options: ProvisioningOptions(),
            passwordHash: "x", makeUsername: { "u-\(UUID().uuidString)" }, idempotency: nil
        ))
        guard case .created(let account, _) = outcome else { throw CancellationError() }
        return account.id
    }
}

/// Migration 0006 gives every asset of an existing account its base, edited ones included, so that
/// drift and updates work for accounts made before it.
@Suite("Account bases (migration 0006)")
struct AccountBasesMigrationTests {
    @Test func migratingGivesEveryAssetItsBase() async throws {
        let file = TemporaryDatabaseFile(prefix: "schema-0004")
        try FileManager.default.copyItem(at: SharedBodiesTests.fixtures.appendingPathComponent("provisioned.db"), to: URL(fileURLWithPath: file.path))
        let database = try AppDatabase.open(path: file.path)
        #expect(try database.appliedMigrations().contains("0006_account_bases"))
        let withoutBase = try await DatabaseQueue(path: file.path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM assets WHERE account_id IN (2, 3) AND base_blob IS NULL")
        }
        #expect(withoutBase == 0)
        let edited = try await database.drift(accountID: 2, agencyID: 1)
        #expect(edited.edited.map { "\($0.kind.rawValue) \($0.id)" } == ["template 1"])
        #expect(edited.added.isEmpty && edited.deleted.isEmpty)
        #expect(try await database.drift(accountID: 3, agencyID: 1).isEmpty)
        // Every base is counted, so no blob an account needs can be deleted.
        let uncounted = try await DatabaseQueue(path: file.path).read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (SELECT base_blob, count(*) AS n FROM assets WHERE base_blob IS NOT NULL GROUP BY base_blob) a
                LEFT JOIN snapshot_blob_shares s ON s.blob_id = a.base_blob WHERE s.assets IS NOT a.n
                """)
        }
        #expect(uncounted == 0)
    }
}
