import AgencyDomain
import Foundation
import GRDB

/// Where an import came from: a CSV file, or a v3 `bulk_import` request.
public enum ContactImportSource: String, Sendable {
    case csv
    case bulkImport = "bulk_import"
}

/// An import and its counts so far.
public struct ContactImportSummary: Equatable, Sendable {
    public var id: Int64
    public var batchID: String
    public var source: ContactImportSource
    public var rows: Int
    public var created: Int
    public var updated: Int
    public var failed: Int
    public var createdAt: String
    public var updatedAt: String
}

extension AppDatabase {
    /// Starts an import; its rows come with `importContacts`, in one call or many.
    public func beginContactImport(accountID: Int64, source: ContactImportSource) async throws -> ContactImportSummary {
        try await writer.write { db in
            let id = try db.nextID("contact_import", in: accountID)
            let now = Timestamp.now()
            try db.execute(
                sql: "INSERT INTO contact_imports (account_id, id, batch_id, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [accountID, id, UUID().uuidString.lowercased(), source.rawValue, now, now]
            )
            return try Self.contactImport(accountID: accountID, id: id, db)
        }
    }

    /// Writes rows of an import in one transaction, each row all or nothing, and adds them to the
    /// import's counts and report. Refusals are kept with their line; `keepEveryRow` also keeps the
    /// contact of each row that went in (v3's import/info lists them).
    public func importContacts(
        accountID: Int64, importID: Int64, _ inputs: [ContactImportInput], options: ContactImportOptions, keepEveryRow: Bool = false
    ) async throws -> [ContactImportOutcome] {
        try await writer.write { db in
            _ = try Self.contactImport(accountID: accountID, id: importID, db)
            var batch = try ContactImportBatch(accountID: accountID, importID: importID, options: options, db)
            let outcomes = try batch.write(inputs, db)
            for outcome in outcomes where keepEveryRow || outcome.failure != nil {
                try db.cachedStatement(sql: """
                    INSERT INTO contact_import_rows (account_id, import_id, line, contact_id, code, message) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """).execute(arguments: [accountID, importID, outcome.line, outcome.contactID, outcome.failure?.code, outcome.failure?.message])
            }
            let created = outcomes.count { $0.created }, failed = outcomes.count { $0.failure != nil }
            try db.execute(
                sql: """
                    UPDATE contact_imports SET rows = rows + ?, created = created + ?, updated = updated + ?, failed = failed + ?, updated_at = ?
                    WHERE account_id = ? AND id = ?
                    """,
                arguments: [outcomes.count, created, outcomes.count - created - failed, failed, Timestamp.now(), accountID, importID]
            )
            return outcomes
        }
    }

    public func contactImport(accountID: Int64, id: Int64) async throws -> ContactImportSummary {
        try quickRead { db in try Self.contactImport(accountID: accountID, id: id, db) }
    }

    public func contactImport(accountID: Int64, batchID: String) async throws -> ContactImportSummary {
        try quickRead { db in
            guard let id = try Int64.fetchOne(
                db, sql: "SELECT id FROM contact_imports WHERE account_id = ? AND batch_id = ?", arguments: [accountID, batchID]
            ) else { throw DomainError.notFound(what: "Import batch '\(batchID)'") }
            return try Self.contactImport(accountID: accountID, id: id, db)
        }
    }

    /// The rows an import kept, by line: every refusal, and for bulk imports the contacts too.
    public func contactImportRows(accountID: Int64, importID: Int64, limit: Int = 10_000) async throws -> [ContactImportOutcome] {
        try quickRead { db in
            try Row.fetchAll(
                db, sql: "SELECT line, contact_id, code, message FROM contact_import_rows WHERE account_id = ? AND import_id = ? ORDER BY line LIMIT ?",
                arguments: [accountID, importID, limit]
            ).map { row in
                let code: String? = row[2]
                return ContactImportOutcome(line: row[0], contactID: row[1], created: false, failure: code.map { ContactImportFailure($0, row[3]) })
            }
        }
    }

    /// Imports of one source per day of the last `days`, for v3's bulk import status list.
    public func contactImportsByDay(accountID: Int64, source: ContactImportSource, days: Int = 7) async throws -> [(day: String, imports: Int, rows: Int)] {
        try quickRead { db in
            let since = Timestamp.string(from: Date().addingTimeInterval(-Double(days) * 86_400))
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT substr(created_at, 1, 10), count(*), sum(rows) FROM contact_imports
                    WHERE account_id = ? AND source = ? AND created_at >= ? GROUP BY 1 ORDER BY 1
                    """,
                arguments: [accountID, source.rawValue, since]
            ).map { ($0[0], $0[1], $0[2]) }
        }
    }

    static func contactImport(accountID: Int64, id: Int64, _ db: Database) throws -> ContactImportSummary {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT id, batch_id, source, rows, created, updated, failed, created_at, updated_at FROM contact_imports WHERE account_id = ? AND id = ?",
            arguments: [accountID, id]
        ) else { throw DomainError.notFound(what: "Import \(id)") }
        return ContactImportSummary(
            id: row[0], batchID: row[1], source: ContactImportSource(rawValue: row[2]) ?? .csv, rows: row[3], created: row[4],
            updated: row[5], failed: row[6], createdAt: row[7], updatedAt: row[8]
        )
    }
}
