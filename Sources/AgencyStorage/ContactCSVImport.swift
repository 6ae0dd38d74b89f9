import AgencyDomain
import GRDB

/// Counts and refusals of a CSV import (or of one part of it).
public struct ContactCSVImportReport: Equatable, Sendable {
    public var rows = 0
    public var created = 0
    public var updated = 0
    public var failed = 0
    /// The first `ContactCSVImport.reportedFailures` refusals; all of them are kept with the import.
    public var failures: [ContactImportOutcome] = []

    public init() {}
}

/// Imports a CSV file as it arrives: bytes in, records out of `CSVReader`, rows written a batch (one
/// transaction) at a time. Memory holds one batch, whatever the file's size. The first record is the
/// header. `lineOffset` is added to every line number, for a file sent in parts (each part with the
/// header first): lines are reported as lines of the whole file.
public struct ContactCSVImport: Sendable {
    public static let batchSize = 1_000
    public static let reportedFailures = 1_000

    let database: AppDatabase
    let accountID: Int64
    let importID: Int64
    let options: ContactImportOptions
    let lineOffset: Int
    private var reader = CSVReader()
    private var format: ContactCSV?
    private var pending: [ContactImportInput] = []
    public private(set) var report = ContactCSVImportReport()

    public init(database: AppDatabase, accountID: Int64, importID: Int64, options: ContactImportOptions, lineOffset: Int = 0) {
        self.database = database
        self.accountID = accountID
        self.importID = importID
        self.options = options
        self.lineOffset = lineOffset
    }

    public mutating func feed(_ bytes: some Sequence<UInt8>) async throws {
        try await take(reader.feed(bytes))
        if pending.count >= Self.batchSize { try await flush() }
    }

    /// Writes what is left and returns the report.
    public mutating func finish() async throws -> ContactCSVImportReport {
        try await take(reader.finish())
        if format == nil {
            throw DomainError.invalid(field: "csv", message: "The file is empty: its first line must name the columns, one of them 'email'.")
        }
        try await flush()
        return report
    }

    private mutating func take(_ records: [CSVRecord]) async throws {
        for record in records {
            guard let format else {
                try await readHeader(record)
                continue
            }
            let line = record.line + lineOffset
            do {
                var row = try format.row(from: record, options: options)
                row.line = line
                pending.append(.row(row))
            } catch {
                pending.append(.refused(line: line, error))
            }
        }
    }

    private mutating func readHeader(_ record: CSVRecord) async throws {
        if let problem = record.problem {
            throw DomainError.invalid(field: "csv.header", message: "The first line cannot be read: \(problem).")
        }
        let format = try ContactCSV(header: record.fields)
        if !options.createMissing {
            let missing = try await database.missingFieldTitles(accountID: accountID, format.fieldTitles)
            if let title = missing.first {
                throw DomainError.invalid(
                    field: "csv.header",
                    message: "Column '\(title)' is neither a contact column nor the title of one of the account's custom fields; import with create-missing to create the field."
                )
            }
        }
        self.format = format
    }

    private mutating func flush() async throws {
        guard !pending.isEmpty else { return }
        let outcomes = try await database.importContacts(accountID: accountID, importID: importID, pending, options: options)
        pending.removeAll(keepingCapacity: true)
        for outcome in outcomes {
            report.rows += 1
            if let _ = outcome.failure {
                report.failed += 1
                if report.failures.count < Self.reportedFailures { report.failures.append(outcome) }
            } else if outcome.created {
                report.created += 1
            } else {
                report.updated += 1
            }
        }
    }
}

extension AppDatabase {
    /// Which of `titles` (any letter case) name none of the account's custom fields.
    public func missingFieldTitles(accountID: Int64, _ titles: [String]) async throws -> [String] {
        guard !titles.isEmpty else { return [] }
        let existing = try quickRead { db in
            try String.fetchSet(db, sql: "SELECT name FROM assets WHERE account_id = ? AND kind = 'field'", arguments: [accountID])
        }
        let lowered = Set(existing.map { $0.lowercased() })
        return titles.filter { !lowered.contains($0.lowercased()) }
    }
}
