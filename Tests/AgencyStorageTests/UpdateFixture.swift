import AgencyDomain
import AgencyStorage
import AgencyTestSupport
import Foundation
import GRDB

/// A sandbox, its first snapshot and a client account made from it, with helpers to change either
/// side and update the account, for the tests of updates, drift and diffs.
///
/// The sandbox holds tags 1 "Lead", 2 "Customer", 3 "Old"; template 1 "Welcome" (tags [1]); and
/// automation 1 "Onboarding" (active; on tag 1, adds tag 2 and sends template 1).
struct UpdateFixture {
    let database: AppDatabase
    let file: TemporaryDatabaseFile
    let agencyID: Int64
    let sandboxID: Int64
    let v1: Int64
    let accountID: Int64

    static func make() async throws -> UpdateFixture {
        let file = TemporaryDatabaseFile(prefix: "updates")
        let database = try AppDatabase.open(path: file.path)
        let agencyID = try await database.createAgency(name: "Agency", tokenDigest: Secrets.digest(ofToken: UUID().uuidString))
        let (sandbox, _) = try await database.createAccount(
            agencyID: agencyID, name: "Workshop", kind: .sandbox, passwordHash: "x", makeUsername: { "user-\(UUID().uuidString)" }
        )
        for name in ["Lead", "Customer", "Old"] {
            _ = try await database.createAsset(accountID: sandbox.id, try AssetKind.tag.spec.draft(from: ["tag": .string(name)]))
        }
        _ = try await database.createAsset(accountID: sandbox.id, try AssetKind.template.spec.draft(from: [
            "name": .string("Welcome"), "subject": .string("Hi"), "html": .string("<p>Hello</p>"), "tags": .array([.string("1")]),
        ]))
        _ = try await database.createAsset(accountID: sandbox.id, try AssetKind.automation.spec.draft(from: [
            "name": .string("Onboarding"), "status": .string("active"),
            "trigger": .object(["type": .string("tag_added"), "tag": .string("1")]),
            "steps": .array([
                .object(["type": .string("add_tag"), "tag": .string("2")]),
                .object(["type": .string("send_email"), "template": .string("1")]),
            ]),
        ]))
        let v1 = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandbox.id, name: "v1", includes: []).id
        let outcome = try await database.provision(ProvisionRequest(
            agencyID: agencyID, snapshotID: v1, name: "Client", kind: .paid, options: ProvisioningOptions(),
            passwordHash: "x", makeUsername: { "u-\(UUID().uuidString)" }, idempotency: nil
        ))
        guard case .created(let account, _) = outcome else { throw CancellationError() }
        return UpdateFixture(database: database, file: file, agencyID: agencyID, sandboxID: sandbox.id, v1: v1, accountID: account.id)
    }

    /// Changes an asset's body in `account` (the sandbox or the client's) through the normal write path.
    func edit(_ account: Int64, _ kind: AssetKind, _ id: Int64, _ change: (inout [String: JSONValue]) -> Void) async throws {
        var body = try await database.asset(accountID: account, kind: kind, id: id).body
        change(&body)
        _ = try await database.updateAsset(accountID: account, id: id, try kind.spec.draft(from: body))
    }

    @discardableResult
    func create(_ account: Int64, _ kind: AssetKind, _ body: [String: JSONValue]) async throws -> Int64 {
        try await database.createAsset(accountID: account, try kind.spec.draft(from: body)).id
    }

    func snapshot(_ name: String = "next") async throws -> Int64 {
        try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: name, includes: []).id
    }

    func update(to snapshotID: Int64, policy: MergePolicy = .keepClient, dryRun: Bool = false, kinds: Set<AssetKind>? = nil) async throws -> UpdateReport {
        try await database.updateAccount(id: accountID, agencyID: agencyID, options: UpdateOptions(snapshotID: snapshotID, dryRun: dryRun, policy: policy, kinds: kinds))
    }

    func body(_ kind: AssetKind, _ id: Int64, in account: Int64? = nil) async throws -> [String: JSONValue] {
        try await database.asset(accountID: account ?? accountID, kind: kind, id: id).body
    }

    func exists(_ kind: AssetKind, _ id: Int64) async throws -> Bool {
        do {
            _ = try await database.asset(accountID: accountID, kind: kind, id: id)
            return true
        } catch DomainError.notFound {
            return false
        }
    }

    /// Whether the account's asset still shares its snapshot's body (has none of its own).
    func isShared(_ kind: AssetKind, _ id: Int64) throws -> Bool {
        try DatabaseQueue(path: file.path).read { db in
            try Bool.fetchOne(db, sql: "SELECT shared_blob IS NOT NULL FROM assets WHERE account_id = ? AND kind = ? AND id = ?", arguments: [accountID, kind.rawValue, id]) ?? false
        }
    }

    /// Everything an account shows: its bundle, its base and its history.
    func state() async throws -> String {
        let bundle = try await database.exportBundle(accountID: accountID).canonicalText()
        let account = try await database.account(id: accountID, agencyID: agencyID)
        let history = try await database.updateHistory(accountID: accountID, agencyID: agencyID)
        let drift = try await database.drift(accountID: accountID, agencyID: agencyID)
        return "\(bundle)\n\(account.source?.snapshotID ?? 0)\n\(history.count)\n\(drift.lines)"
    }
}
