import GRDB
import GRDBSQLite
import Synchronization

/// Short reads on SQLite connections of this module's own, for the per-account API's busiest lists.
///
/// GRDB's `read` was half of a contacts page's CPU (docs/benchmarks.md, run Q): the reader pool (a
/// barrier on a concurrent queue, a semaphore), the hop onto the reader's queue, `BEGIN` and `COMMIT`
/// parsed again on every read, and a `PRAGMA schema_version`. Here a read takes an idle connection from
/// a locked stack, and runs its `BEGIN`, its statements and its `COMMIT` prepared once per connection.
/// The connections are opened on demand (one per read running at once), refuse writes (`query_only`),
/// and in WAL mode see every transaction committed before the read began, like GRDB's readers.
final class LeanReader: Sendable {
    private enum Source {
        case file(String)
        /// A database that cannot be opened a second time (in memory): GRDB's own connection serves.
        case writer(any DatabaseWriter)
    }

    private let source: Source
    private let idle = Mutex<[LeanConnection]>([])

    init(_ writer: any DatabaseWriter) {
        source = writer is DatabasePool ? .file(writer.path) : .writer(writer)
    }

    func read<T>(_ body: (LeanConnection) throws -> T) throws -> T {
        switch source {
        case .writer(let writer):
            return try writer.read { db in
                let connection = LeanConnection(borrowing: db.sqliteConnection!)
                defer { connection.finalizeStatements() }
                return try body(connection)
            }
        case .file(let path):
            let connection = try idle.withLock { $0.popLast() } ?? LeanConnection(path: path)
            defer { idle.withLock { $0.append(connection) } }
            return try connection.inTransaction(body)
        }
    }
}

/// One SQLite connection, used by one read at a time.
final class LeanConnection: @unchecked Sendable {
    // Unchecked: a connection is only ever used by the read that took it from LeanReader's stack.
    private let handle: OpaquePointer
    private let ownsHandle: Bool
    private var prepared: [String: OpaquePointer] = [:]
    /// Statements built from a request's filters vary; beyond this many, they are prepared per use.
    private static let preparedLimit = 64

    init(path: String) throws {
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let opened else {
            sqlite3_close_v2(opened)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot open \(path) for reading")
        }
        handle = opened
        ownsHandle = true
        // As GRDB's readers (AppDatabase.configuration): wait rather than fail, and a modest cache.
        sqlite3_busy_timeout(handle, 10_000)
        try execute("PRAGMA query_only = ON")
        try execute("PRAGMA cache_size = -8192")
    }

    init(borrowing handle: OpaquePointer) {
        self.handle = handle
        ownsHandle = false
    }

    deinit {
        finalizeStatements()
        if ownsHandle { sqlite3_close_v2(handle) }
    }

    func finalizeStatements() {
        for statement in prepared.values { sqlite3_finalize(statement) }
        prepared.removeAll()
    }

    /// Calls `body` with each row of the query, its `?` bound to `arguments` in order.
    func forEachRow(_ sql: String, _ arguments: [any LeanArgument], _ body: (LeanRow) throws -> Void) throws {
        let (statement, cached) = try self.statement(sql)
        defer {
            if cached { sqlite3_reset(statement); sqlite3_clear_bindings(statement) } else { sqlite3_finalize(statement) }
        }
        for (index, argument) in arguments.enumerated() {
            try check(argument.bind(to: statement, at: Int32(index + 1)), sql)
        }
        while true {
            let code = sqlite3_step(statement)
            switch code {
            case SQLITE_ROW: try body(LeanRow(statement: statement))
            case SQLITE_DONE: return
            default: try check(code, sql)
            }
        }
    }

    /// The first column of the query's one row: `SELECT count(*) …`.
    func integer(_ sql: String, _ arguments: [any LeanArgument]) throws -> Int64 {
        var value: Int64 = 0
        try forEachRow(sql, arguments) { row in value = row.integer(0) }
        return value
    }

    func inTransaction<T>(_ body: (LeanConnection) throws -> T) throws -> T {
        try execute("BEGIN DEFERRED TRANSACTION")
        // A read changes nothing: COMMIT only ends it, whatever the body threw.
        defer { try? execute("COMMIT TRANSACTION") }
        return try body(self)
    }

    private func execute(_ sql: String) throws {
        try forEachRow(sql, []) { _ in }
    }

    private func statement(_ sql: String) throws -> (OpaquePointer, cached: Bool) {
        if let statement = prepared[sql] { return (statement, true) }
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil), sql)
        guard let statement else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "no statement", sql: sql) }
        guard prepared.count < Self.preparedLimit else { return (statement, false) }
        prepared[sql] = statement
        return (statement, true)
    }

    private func check(_ code: Int32, _ sql: String) throws {
        guard code != SQLITE_OK && code != SQLITE_ROW && code != SQLITE_DONE else { return }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}

/// The current row of a lean statement, valid inside the callback that receives it.
struct LeanRow {
    fileprivate let statement: OpaquePointer

    func integer(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement, column)
    }

    /// The column's text; NULL reads as "".
    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}

/// A value a lean statement's `?` takes.
protocol LeanArgument {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32
}

extension Int64: LeanArgument {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, self) }
}

extension Int: LeanArgument {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, Int64(self)) }
}

extension String: LeanArgument {
    /// With its length, so that text holding a NUL is bound whole, as GRDB binds it.
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        // SQLITE_TRANSIENT: SQLite copies the bytes, which live only for this call.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        var text = self
        return text.withUTF8 { bytes in
            // An empty buffer may have no address, which SQLite would bind as NULL.
            guard let start = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(statement, index, "", 0, transient) }
            return start.withMemoryRebound(to: CChar.self, capacity: bytes.count) { sqlite3_bind_text(statement, index, $0, Int32(bytes.count), transient) }
        }
    }
}
