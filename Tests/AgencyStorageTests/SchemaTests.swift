import AgencyDomain
import AgencyStorage
import AgencyTestSupport
import Foundation
import GRDB
import Testing

/// A fresh database file with one agency and one account of `kind`.
func makeDatabase(kind: AccountKind = .sandbox) async throws -> (AppDatabase, file: TemporaryDatabaseFile, accountID: Int64) {
    let file = TemporaryDatabaseFile(prefix: "storage")
    let database = try AppDatabase.open(path: file.path)
    let agencyID = try await database.createAgency(name: "Agency", tokenDigest: Secrets.digest(ofToken: UUID().uuidString))
    let (account, _) = try await database.createAccount(
        agencyID: agencyID, name: "Workshop", kind: kind, passwordHash: "x", makeUsername: { "user-\(UUID().uuidString)" }
    )
    return (database, file, account.id)
}

@Suite("Schema")
struct SchemaTests {
    /// Opening applies every migration once; opening again applies nothing new.
    @Test func migrationsApplyOnce() async throws {
        let (database, file, _) = try await makeDatabase()
        let path = file.path
        let applied = try database.appliedMigrations()
        #expect(applied.first == "0001_foundation")
        #expect(try AppDatabase.open(path: path).appliedMigrations() == applied)
    }

    /// The contact cap is in the schema: even raw SQL cannot add a 101st contact to a sandbox.
    @Test func rawSQLCannotPassTheContactCap() async throws {
        let (database, file, accountID) = try await makeDatabase()
        let path = file.path
        for index in 1...100 {
            _ = try await database.createContact(accountID: accountID, try ContactDraft(email: "p\(index)@example.com", firstName: nil, lastName: nil, phone: nil))
        }
        await #expect(throws: DomainError.limitReached(.contacts, limit: 100)) {
            _ = try await database.createContact(accountID: accountID, try ContactDraft(email: "p101@example.com", firstName: nil, lastName: nil, phone: nil))
        }
        let queue = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO contacts (account_id, id, email, created_at, updated_at) VALUES (?, 999, 'raw@example.com', '', '')", arguments: [accountID])
            }
        }
        let count = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM contacts WHERE account_id = ?", arguments: [accountID]) }
        #expect(count == 100)
    }

    /// The kind rule is in the schema: raw SQL cannot turn a sandbox into a paid account.
    @Test func rawSQLCannotConvertASandbox() async throws {
        let (_, file, accountID) = try await makeDatabase()
        let path = file.path
        let queue = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "UPDATE accounts SET kind = 'paid' WHERE id = ?", arguments: [accountID]) }
        }
    }

    /// A send past the cap rolls back whole: no send row and no outbox row remain.
    @Test func refusedSendLeavesNoRows() async throws {
        let (database, file, accountID) = try await makeDatabase()
        let path = file.path
        for index in 1...100 {
            _ = try await database.createContact(accountID: accountID, try ContactDraft(email: "p\(index)@example.com", firstName: nil, lastName: nil, phone: nil))
        }
        _ = try await database.recordSend(accountID: accountID, subject: "One", html: "", contactIDs: Array(1...70))
        await #expect(throws: DomainError.limitReached(.sends, limit: 100)) {
            _ = try await database.recordSend(accountID: accountID, subject: "Two", html: "", contactIDs: Array(1...31))
        }
        let queue = try DatabaseQueue(path: path)
        let (sends, outbox) = try await queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM email_sends")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox")!)
        }
        #expect(sends == 1)
        #expect(outbox == 70)
    }

    /// The database runs in WAL mode, so readers never wait for the writer.
    @Test func databaseFileIsInWALMode() async throws {
        let (_, file, _) = try await makeDatabase()
        let path = file.path
        let mode = try await DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }
}
