import AgencyBenchSupport
import AgencyDomain
import AgencyStorage
import AgencyTestSupport
import Foundation
import GRDB
import Testing

@Suite("The benchmark's large sandbox")
struct LargeSandboxTests {
    /// The builder makes what the benchmark says it measures: every count, ~20 KB templates with
    /// 5 images each, 25-step automations, and references that all land.
    @Test func builderMakesWhatItSays() async throws {
        let file = TemporaryDatabaseFile(prefix: "large")
        let path = file.path
        let database = try AppDatabase.open(path: path)
        let agencyID = try await database.createAgency(name: "Bench", tokenDigest: Secrets.digest(ofToken: UUID().uuidString))
        let shape = LargeSandboxShape()
        let sandboxID = try await LargeSandbox.build(in: database, agencyID: agencyID, shape: shape)

        let counts = try await DatabaseQueue(path: path).read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT kind, count(*) AS n FROM assets WHERE account_id = ? GROUP BY kind", arguments: [sandboxID])
                .map { ($0["kind"] as String, $0["n"] as Int) })
        }
        #expect(counts == [
            "tag": 1_000, "list": 50, "field": 200, "template": 300, "campaign": 100, "automation": 200,
            "form": 100, "segment": 100, "score": 50, "dealGroup": 20, "dealStage": 160,
        ])
        #expect(counts.values.reduce(0, +) == shape.assetCount)

        let template = try await database.asset(accountID: sandboxID, kind: .template, id: 300)
        let html = try #require(template.body["html"]?.stringValue)
        #expect((19_000...21_000).contains(html.utf8.count))
        #expect(ImageStripper.strip(html).images.count == 5)
        let automation = try await database.asset(accountID: sandboxID, kind: .automation, id: 200)
        #expect(automation.body["steps"]?.arrayValue?.count == 25)

        let contacts = try await database.contacts(accountID: sandboxID, email: nil, page: Page(limit: 100))
        #expect(contacts.total == 100)
        for kind in [ContactLinkKind.tag, .list, .field] {
            #expect(try await database.links(kind, accountID: sandboxID, contactID: nil, page: Page()).total == 100)
        }
        let check = try await database.verifyAccount(id: sandboxID, agencyID: agencyID)
        #expect(check.referencesIntact)
        let indexed = try await DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM asset_references WHERE account_id = ?", arguments: [sandboxID])!
        }
        #expect(check.referencesChecked == indexed)
        #expect(indexed > 7_000)
    }
}
