import GRDB

extension AppDatabase {
    /// The database's size: its pages, as SQLite counts them (the WAL comes on top until a checkpoint).
    public func sizeInBytes() async throws -> Int {
        try quickRead { db in
            try Int.fetchOne(db, sql: "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()") ?? 0
        }
    }

    /// Writes a consistent copy of the database to a new file at `path`, while the service goes on
    /// serving: SQLite's online backup reads one snapshot of the WAL database in a read transaction,
    /// so writers are never blocked and the copy never holds half of a transaction. The copy holds
    /// what the database holds, so it is created readable by its owner only, as the database is.
    public func backup(to path: String) throws {
        try PrivateFile.create(atPath: path, contents: [])
        let destination = try DatabaseQueue(path: path)
        try writer.backup(to: destination)
        try destination.close()
    }
}
