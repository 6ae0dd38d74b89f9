import AgencyDomain
import AgencyStorage
import AgencyTestSupport
import Foundation
import GRDB
import Testing

/// Client accounts share their snapshot's references as they share its bodies (migration 0013):
/// the reference rows are there only for assets with a body of their own, and nothing an account
/// shows, protects or verifies changes.
@Suite("Shared asset references")
struct SharedReferencesTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schema-0012")

    /// The account's rows of the reference index, as "kind id pointer → kind id".
    func ownRows(_ fixture: UpdateFixture, account: Int64? = nil) async throws -> [String] {
        try await DatabaseQueue(path: fixture.file.path).read { db in
            try Row.fetchAll(
                db, sql: "SELECT from_kind, from_id, pointer, to_kind, to_id FROM asset_references WHERE account_id = ? ORDER BY 1, 2, 3",
                arguments: [account ?? fixture.accountID]
            ).map { "\($0["from_kind"] as String) \($0["from_id"] as Int64) \($0["pointer"] as String) → \($0["to_kind"] as String) \($0["to_id"] as Int64)" }
        }
    }

    /// A database made by schema 0012 (two accounts, one client edit, one update applied): after the
    /// migration the shared assets' rows are gone, and every export, reference and check reads as before.
    @Test func migratingADatabaseOfSchema0012ChangesNothingVisible() async throws {
        let file = TemporaryDatabaseFile(prefix: "schema-0012")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("provisioned.db"), to: URL(fileURLWithPath: file.path))
        let rowsBefore = try await DatabaseQueue(path: file.path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM asset_references WHERE account_id IN (2, 3)")
        }
        #expect(rowsBefore == 62)
        let database = try AppDatabase.open(path: file.path)
        #expect(try database.appliedMigrations().contains("0013_shared_asset_references"))

        let rows = try await DatabaseQueue(path: file.path).read { db in
            try Row.fetchAll(db, sql: "SELECT DISTINCT account_id, from_kind, from_id FROM asset_references WHERE account_id IN (2, 3)")
                .map { "\($0["account_id"] as Int64) \($0["from_kind"] as String) \($0["from_id"] as Int64)" }
        }
        #expect(rows == ["2 automation 1"])   // the client's edit, the one body of its own

        for account: Int64 in [2, 3] {
            let bundle = try JSONValue.parse(String(contentsOf: Self.fixtures.appendingPathComponent("account-\(account).bundle.json"), encoding: .utf8))
            #expect(try await database.exportBundle(accountID: account) == bundle)
            let expected = try String(contentsOf: Self.fixtures.appendingPathComponent("account-\(account).references.txt"), encoding: .utf8)
            #expect(try await referenceLines(database, account: account, bundle: bundle) == expected)
        }
        let edited = try await database.verifyAccount(id: 2, agencyID: 1)
        #expect(edited.ok && edited.referencesChecked == 31)
        let untouched = try await database.verifyAccount(id: 3, agencyID: 1)
        #expect(untouched.ok && untouched.equalsSnapshot == true && untouched.referencesChecked == 31)
    }

    /// What `Tests/Fixtures/schema-0012/account-N.references.txt` holds: each asset's uses and users.
    func referenceLines(_ database: AppDatabase, account: Int64, bundle: JSONValue) async throws -> String {
        var lines: [String] = []
        for item in try AssetBundle.parse(bundle).items {
            let (usedBy, uses) = try await database.references(accountID: account, kind: item.draft.kind, id: item.id)
            let asset = "\(item.draft.kind.rawValue) \(item.id)"
            lines += uses.map { "\(asset) uses \($0.kind.rawValue) \($0.id) \"\($0.name)\" at \($0.pointer)" }
            lines += usedBy.map { "\(asset) is used by \($0.kind.rawValue) \($0.id) \"\($0.name)\" at \($0.pointer)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Provisioning writes no reference row; the account still lists every reference both ways.
    @Test func provisioningWritesNoReferenceRows() async throws {
        let fixture = try await UpdateFixture.make()
        #expect(try await ownRows(fixture).isEmpty)
        #expect(try await ownRows(fixture, account: fixture.sandboxID).count == 4)
        for (kind, id) in [(AssetKind.automation, Int64(1)), (.tag, 1), (.tag, 2), (.template, 1)] {
            let sandbox = try await fixture.database.references(accountID: fixture.sandboxID, kind: kind, id: id)
            let account = try await fixture.database.references(accountID: fixture.accountID, kind: kind, id: id)
            #expect(sandbox.usedBy == account.usedBy && sandbox.uses == account.uses)
        }
        #expect(try await fixture.database.references(accountID: fixture.accountID, kind: .tag, id: 1).usedBy.count == 2)
        #expect(try await fixture.database.verifyAccount(id: fixture.accountID, agencyID: fixture.agencyID).referencesChecked == 4)
    }

    /// What a shared body refers to cannot be deleted: the API names the user, and raw SQL fails at
    /// commit as the foreign keys make it; deleting the user too, in the same transaction, is fine.
    @Test func whatASharedBodyUsesStays() async throws {
        let fixture = try await UpdateFixture.make()
        await #expect(throws: DomainError.conflict(
            code: "asset_in_use",
            message: "tag 2 \"Customer\" is still used by: automation 1 \"Onboarding\" at /steps/0/tag. Remove those references first."
        )) {
            try await fixture.database.deleteAsset(accountID: fixture.accountID, kind: .tag, id: 2)
        }
        let queue = try DatabaseQueue(path: fixture.file.path)
        await #expect(throws: DatabaseError.self) {
            try await queue.write { db in try db.execute(sql: "DELETE FROM assets WHERE account_id = ? AND kind = 'tag' AND id = 2", arguments: [fixture.accountID]) }
        }
        #expect(try await fixture.database.asset(accountID: fixture.accountID, kind: .tag, id: 2).name == "Customer")
        try await queue.write { db in
            try db.execute(sql: "DELETE FROM assets WHERE account_id = ? AND kind = 'tag' AND id = 2", arguments: [fixture.accountID])
            try db.execute(sql: "DELETE FROM assets WHERE account_id = ? AND kind = 'automation' AND id = 1", arguments: [fixture.accountID])
        }
        #expect(try await ownRows(fixture).isEmpty)
        #expect(try await fixture.database.verifyAccount(id: fixture.accountID, agencyID: fixture.agencyID).referencesIntact)
    }

    /// An asset that gets a body of its own gets rows for its references, whoever writes it: a client's
    /// edit writes the new ones, a write that keeps the body (raw SQL here, as a send does) keeps the
    /// blob's; sharing a blob again drops them.
    @Test func rowsFollowTheBody() async throws {
        let fixture = try await UpdateFixture.make()
        try await fixture.edit(fixture.accountID, .automation, 1) { body in
            body["steps"] = .array([.object(["type": .string("add_tag"), "tag": .string("3")])])
        }
        #expect(try await ownRows(fixture) == ["automation 1 /steps/0/tag → tag 3", "automation 1 /trigger/tag → tag 1"])

        try await DatabaseQueue(path: fixture.file.path).write { db in
            try db.execute(
                sql: "UPDATE assets SET body = (SELECT body FROM snapshot_blobs WHERE id = shared_blob), shared_blob = NULL WHERE account_id = ? AND kind = 'template'",
                arguments: [fixture.accountID]
            )
        }
        #expect(try await ownRows(fixture).contains("template 1 /tags/0 → tag 1"))
        #expect(try await fixture.database.verifyAccount(id: fixture.accountID, agencyID: fixture.agencyID).referencesIntact)

        try await DatabaseQueue(path: fixture.file.path).write { db in
            try db.execute(
                sql: "UPDATE assets SET body = 'null', shared_blob = base_blob WHERE account_id = ? AND kind = 'template'",
                arguments: [fixture.accountID]
            )
        }
        #expect(try await ownRows(fixture).count == 2)
        #expect(try await fixture.database.verifyAccount(id: fixture.accountID, agencyID: fixture.agencyID).referencesIntact)
    }

    /// A row for a shared asset (which only a raw write could leave) counts its reference twice:
    /// verify says so.
    @Test func verifyReportsAReferenceIndexedTwice() async throws {
        let fixture = try await UpdateFixture.make()
        try await DatabaseQueue(path: fixture.file.path).write { db in
            try db.execute(
                sql: "INSERT INTO asset_references (account_id, from_kind, from_id, pointer, to_kind, to_id) VALUES (?, 'template', 1, '/tags/0', 'tag', 1)",
                arguments: [fixture.accountID]
            )
        }
        let check = try await fixture.database.verifyAccount(id: fixture.accountID, agencyID: fixture.agencyID)
        #expect(check.dangling == ["template 1 /tags/0 → tag 1 (indexed twice)"])
    }

    /// A bundle applied to a provisioned account may remove a tag and what uses it in any order, and
    /// may write back an asset a shared body uses.
    @Test func aBundleAppliesInAnyOrder() async throws {
        let fixture = try await UpdateFixture.make()
        let exported = try await fixture.database.exportBundle(accountID: fixture.accountID)
        var bundle = try AssetBundle.parse(exported)
        bundle.items.removeAll { $0.draft.kind == .automation || ($0.draft.kind == .tag && $0.id == 2) }
        let applied = try await fixture.database.applyBundle(accountID: fixture.accountID, bundle)
        #expect(applied.deleted == 2)
        #expect(try await fixture.database.verifyAccount(id: fixture.accountID, agencyID: fixture.agencyID).referencesIntact)
        _ = try await fixture.database.applyBundle(accountID: fixture.accountID, try AssetBundle.parse(exported))
        #expect(try await fixture.database.exportBundle(accountID: fixture.accountID) == exported)
        #expect(try await ownRows(fixture).count == 4)
    }
}
