import AgencyMigrations
import Foundation
import GRDB

/// The service's database: one SQLite file (WAL) in production, a fresh one per test.
/// Migrated when opened; every SQL statement of the product lives in this module.
public struct AppDatabase: Sendable {
    let writer: any DatabaseWriter
    let tokens = TokenCache()
    /// The per-account API's busiest lists read here, not through GRDB's reader pool.
    let lean: LeanReader

    /// Wraps a connection and applies every pending migration.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator().migrate(writer)
        lean = LeanReader(writer)
    }

    /// Opens (creating if needed) the database file at `path` in WAL mode. A new file is created
    /// readable by its owner only (`PrivateFile`), and its WAL and SHM files take that mode.
    public static func open(path: String) throws -> AppDatabase {
        do {
            // A folder that does not exist fails here; SQLite's own message for it is clearer.
            _ = try? PrivateFile.createIfMissing(atPath: path)
            return try AppDatabase(DatabasePool(path: path, configuration: configuration()))
        } catch let error as DatabaseError where [.SQLITE_CANTOPEN, .SQLITE_NOTADB, .SQLITE_READONLY, .SQLITE_PERM].contains(error.resultCode) {
            let reason = switch error.resultCode {
            case .SQLITE_CANTOPEN: "its folder does not exist or cannot be written"
            case .SQLITE_NOTADB: "the file is not a SQLite database"
            default: "the file cannot be written"
            }
            throw CannotOpenDatabase(path: path, reason: reason)
        }
    }

    /// A private in-memory database, for tests and tools.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue(configuration: configuration()))
    }

    /// Runs a short read on the calling thread. For one or two indexed queries this costs a fraction
    /// of a hop to GRDB's reader queue and back, the main cost of a read request otherwise. It is safe
    /// to block for that long, even on `agency serve`'s event loops, which run its tasks: readers never
    /// wait for the writer in WAL mode, and no reader is held across a suspension point, so the reader
    /// pool cannot deadlock. Long reads (verify, export) and all writes keep GRDB's async path.
    func quickRead<T>(_ block: (Database) throws -> T) throws -> T {
        try writer.read(block)
    }

    /// The names of the migrations that have been applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Self.migrator().appliedMigrations(db) }
    }

    static func configuration() -> Configuration {
        var configuration = Configuration()
        // Writers queue behind each other instead of failing at once.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL is durable across crashes with NORMAL; FULL would only add fsyncs.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            // Freed space is overwritten with zeros, so an erased contact's old values do not linger
            // in free pages or cells (AppDatabase+Erasure).
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // A savepoint keeps the pages it changes in a statement journal, a temporary file by
            // default; an import takes one savepoint per row (ContactImportBatch).
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // SQLite's default page cache is 2 MiB. Provisioning writes ~2,300 rows and their index
            // entries; with a small cache each insert re-reads interior index pages through the OS,
            // which grows with the file (measured: 5.8× slower after 1,000 accounts). The writer gets
            // 64 MiB; readers, which see short indexed queries, keep a modest cache.
            try db.execute(sql: db.configuration.readonly ? "PRAGMA cache_size = -8192" : "PRAGMA cache_size = -65536")
        }
        return configuration
    }

    /// One GRDB migration per SQL file, registered under the file's name.
    static func migrator() throws -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for file in try MigrationFiles.all() {
            migrator.registerMigration(file.name) { db in try db.execute(sql: file.sql) }
        }
        return migrator
    }
}

/// The database file could not be opened, for a reason a person can fix.
public struct CannotOpenDatabase: Error, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "Cannot open the database at \(path): \(reason)." }
}
