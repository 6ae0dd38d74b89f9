import AgencyDomain
import AgencyTestSupport
import Foundation
import GRDB
import Testing
@testable import AgencyStorage

/// The lean reader behind the per-account API's contact and asset lists: its own SQLite connections
/// on a database file, GRDB's connection on one in memory.
@Suite("Lean reads")
struct LeanReaderTests {
    /// A database file and a paid account in it.
    struct Fixture {
        let file = TemporaryDatabaseFile(prefix: "lean")
        let database: AppDatabase
        let accountID: Int64

        init(inMemory: Bool = false) async throws {
            database = inMemory ? try AppDatabase.inMemory() : try AppDatabase.open(path: file.path)
            let agencyID = try await database.createAgency(name: "Lean", tokenDigest: Secrets.digest(ofToken: UUID().uuidString))
            accountID = try await database.createAccount(
                agencyID: agencyID, name: "Client", kind: .paid, passwordHash: "-", makeUsername: { "lean-\(UUID().uuidString)" }
            ).account.id
        }

        func addContact(_ email: String, firstName: String = "") async throws -> Contact {
            try await database.createContact(accountID: accountID, ContactDraft(email: email, firstName: firstName, lastName: nil, phone: nil))
        }
    }

    /// Each read is a transaction of its own on a connection other than the writer's: it sees every
    /// write committed before it, at once, and no longer sees what was deleted.
    @Test func readsSeeEachCommittedWrite() async throws {
        let fixture = try await Fixture()
        for index in 1...3 {
            _ = try await fixture.addContact("person\(index)@example.com")
            let page = try await fixture.database.contacts(accountID: fixture.accountID, email: nil, page: Page(limit: 10))
            #expect(page.total == index && page.contacts.count == index)
        }
        let first = try #require(try await fixture.database.contacts(accountID: fixture.accountID, email: nil, page: Page(limit: 1)).contacts.first)
        try await fixture.database.deleteContact(accountID: fixture.accountID, id: first.id)
        let after = try await fixture.database.contacts(accountID: fixture.accountID, email: nil, page: Page(limit: 10))
        #expect(after.total == 2 && !after.contacts.contains(first))
    }

    /// The page and its total come from one read, the filters bind their values (quotes, `%`, `_`
    /// and backslashes are text), and the columns come back as written, non-ASCII included.
    @Test func filtersBindTheirValuesAndTextComesBackWhole() async throws {
        let fixture = try await Fixture()
        let odd = try await fixture.addContact("o'brien+100%_x\\y@example.com", firstName: "Zoë 🙂 \"Q\"")
        _ = try await fixture.addContact("plain@example.com", firstName: "Plain")
        let byEmail = try await fixture.database.contacts(accountID: fixture.accountID, email: "O'BRIEN+100%_X\\Y@example.com", page: Page(limit: 10))
        #expect(byEmail.total == 1 && byEmail.contacts == [odd])
        let bySearch = try await fixture.database.contacts(accountID: fixture.accountID, email: nil, search: "100%_x\\", page: Page(limit: 10))
        #expect(bySearch.contacts == [odd])
        #expect(try await fixture.database.contacts(accountID: fixture.accountID, email: nil, search: "%", page: Page(limit: 10)).contacts == [odd])
        // Bound with their length: a NUL inside the text is text too, and an empty filter is "", not NULL.
        #expect(try await fixture.database.contacts(accountID: fixture.accountID, email: "plain@example.com\u{0}x", page: Page(limit: 10)).total == 0)
        #expect(try await fixture.database.contacts(accountID: fixture.accountID, email: "", page: Page(limit: 10)).total == 0)
        let second = try await fixture.database.contacts(accountID: fixture.accountID, email: nil, page: Page(limit: 1, offset: 1))
        #expect(second.total == 2 && second.contacts.map(\.email) == ["plain@example.com"])
    }

    /// An in-memory database cannot be opened again: its reads go through GRDB's own connection and
    /// give the same pages.
    @Test func inMemoryDatabasesReadTheSame() async throws {
        for inMemory in [false, true] {
            let fixture = try await Fixture(inMemory: inMemory)
            let made = try await fixture.addContact("memory@example.com", firstName: "Mem")
            let page = try await fixture.database.contacts(accountID: fixture.accountID, email: nil, page: Page(limit: 10))
            #expect(page.total == 1 && page.contacts == [made], "in memory: \(inMemory)")
            let tag = try await fixture.database.createAsset(accountID: fixture.accountID, try AssetKind.tag.spec.draft(from: ["tag": .string("VIP")]))
            let tags = try await fixture.database.assets(accountID: fixture.accountID, kind: .tag, query: AssetQuery())
            #expect(tags.total == 1 && tags.assets.map(\.id) == [tag.id] && tags.assets.first?.name == "VIP", "in memory: \(inMemory)")
        }
    }

    /// The connections refuse writes, an error is SQLite's own and leaves the connection usable, and
    /// reads that outnumber the statement cache still work.
    @Test func connectionsAreReadOnlyAndRecover() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.addContact("kept@example.com")
        #expect(throws: DatabaseError.self) {
            try fixture.database.lean.read { connection in
                try connection.forEachRow("DELETE FROM contacts", []) { _ in }
            }
        }
        #expect(throws: DatabaseError.self) {
            try fixture.database.lean.read { connection in try connection.integer("SELECT count(*) FROM no_such_table", []) }
        }
        for limit in 1...80 {
            // 80 different statements: more than a connection caches.
            let count = try fixture.database.lean.read { connection in
                try connection.integer("SELECT count(*) FROM (SELECT 1 FROM contacts LIMIT \(limit))", [])
            }
            #expect(count == 1)
        }
        #expect(try await fixture.database.contacts(accountID: fixture.accountID, email: nil, page: Page(limit: 10)).total == 1)
    }

    /// Reads at once each take a connection of their own, and each page agrees with its total while
    /// a writer adds contacts at the same time.
    @Test func concurrentReadsAgreeWithTheirTotals() async throws {
        let fixture = try await Fixture()
        let database = fixture.database
        let accountID = fixture.accountID
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for index in 0..<60 { _ = try await database.createContact(accountID: accountID, ContactDraft(email: "w\(index)@example.com", firstName: nil, lastName: nil, phone: nil)) }
            }
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<40 {
                        let page = try await database.contacts(accountID: accountID, email: nil, page: Page(limit: 100))
                        #expect(page.contacts.count == page.total)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await database.contacts(accountID: accountID, email: nil, page: Page(limit: 100)).total == 60)
    }
}
