import AgencyDomain
import Foundation
import GRDB

/// What an import is given for one row: the row, or why it could not even be read.
public enum ContactImportInput: Sendable {
    case row(ContactImportRow)
    case refused(line: Int, ContactImportFailure)
}

/// What became of one row.
public struct ContactImportOutcome: Equatable, Sendable {
    public var line: Int
    /// The contact the row created or updated; nil when it was refused.
    public var contactID: Int64?
    public var created: Bool
    public var failure: ContactImportFailure?
}

/// Writes rows of one import inside the caller's transaction, each row all or nothing (a savepoint):
/// a refused row leaves no trace but its line in the report. Names are resolved against the account's
/// tags, lists and fields, read once per batch; ids are handed out from blocks reserved once per
/// batch instead of one `id_sequences` write per row.
struct ContactImportBatch {
    let accountID: Int64
    let importID: Int64
    let options: ContactImportOptions
    let now: String
    private var names: ImportNames
    private var ids: IDBlocks
    /// The account has erased addresses an import must refuse.
    private let hasErasures: Bool

    init(accountID: Int64, importID: Int64, options: ContactImportOptions, _ db: Database) throws {
        self.accountID = accountID
        self.importID = importID
        self.options = options
        now = Timestamp.now()
        names = try ImportNames(accountID: accountID, db)
        ids = IDBlocks(accountID: accountID)
        hasErasures = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM contact_erasures WHERE account_id = ? AND readmitted_at IS NULL)", arguments: [accountID]
        ) ?? false
    }

    mutating func write(_ inputs: [ContactImportInput], _ db: Database) throws -> [ContactImportOutcome] {
        var outcomes: [ContactImportOutcome] = []
        outcomes.reserveCapacity(inputs.count)
        for input in inputs {
            switch input {
            case .refused(let line, let failure):
                outcomes.append(ContactImportOutcome(line: line, contactID: nil, created: false, failure: failure))
            case .row(let row):
                var outcome = ContactImportOutcome(line: row.line, contactID: nil, created: false, failure: nil)
                names.createdInRow = false
                let guarded = createsNames(row)
                do {
                    if guarded {
                        try db.inSavepoint {
                            (outcome.contactID, outcome.created) = try write(row, db)
                            return .commit
                        }
                    } else {
                        // Without names to create, every check comes before the row's first write (the
                        // contact's), and nothing after it can be refused: no savepoint is needed.
                        (outcome.contactID, outcome.created) = try write(row, db)
                    }
                } catch let failure as ContactImportFailure {
                    outcome.failure = failure
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT && guarded {
                    // A schema rule refused the row, and its savepoint took it back. Without a savepoint,
                    // such an error (none is known) fails the batch, so no row is left half written.
                    outcome.failure = error.isRaised("contact_erased") ? .erasedContact : ContactImportFailure("refused", "The database refused the row: \(error.message ?? "a constraint failed").")
                }
                // The savepoint took back any tag, list or field the refused row created.
                if outcome.failure != nil, names.createdInRow { try names.reload(db) }
                outcomes.append(outcome)
            }
        }
        try ids.save(db)
        return outcomes
    }

    /// Whether the row names a tag, list or field the account lacks and the import may create: such a
    /// row writes before its last check, so it is written in a savepoint.
    private func createsNames(_ row: ContactImportRow) -> Bool {
        guard options.createMissing else { return false }
        return row.tags.contains { names.id(.tag, .name($0)) == nil } || (row.subscribe + row.unsubscribe).contains { names.id(.list, $0) == nil }
            || row.fields.contains { names.id(.field, $0.field) == nil }
    }

    /// One row: the contact by its email (any letter case), then its tags, lists and field values.
    private mutating func write(_ row: ContactImportRow, _ db: Database) throws -> (Int64, Bool) {
        guard EmailAddress.isValid(row.email) else { throw ContactImportFailure.invalidEmail }
        // Names first: a row that names something missing writes nothing.
        let tags = try row.tags.map { try resolve(.tag, .name($0), db) }
        let subscribe = try row.subscribe.map { try resolve(.list, $0, db) }
        let unsubscribe = try row.unsubscribe.map { try resolve(.list, $0, db) }
        let fields = try row.fields.map { (try resolve(.field, $0.field, db), $0.value) }

        let (contactID, created) = try contact(for: row, db)
        for tag in tags {
            try db.cachedStatement(sql: """
                INSERT INTO contact_tags (account_id, id, contact_id, tag_id, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (account_id, contact_id, tag_id) DO NOTHING
                """).execute(arguments: [accountID, try ids.next("contact_tags", db), contactID, tag, now])
        }
        for (lists, status) in [(subscribe, 1), (unsubscribe, 2)] {
            for list in lists {
                try db.cachedStatement(sql: """
                    INSERT INTO contact_lists (account_id, id, contact_id, list_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (account_id, contact_id, list_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
                    WHERE status <> excluded.status
                    """).execute(arguments: [accountID, try ids.next("contact_lists", db), contactID, list, status, now, now])
            }
        }
        for (field, value) in fields {
            if value.isEmpty {
                try db.cachedStatement(sql: "DELETE FROM field_values WHERE account_id = ? AND contact_id = ? AND field_id = ?")
                    .execute(arguments: [accountID, contactID, field])
                continue
            }
            try db.cachedStatement(sql: """
                INSERT INTO field_values (account_id, id, contact_id, field_id, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (account_id, contact_id, field_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                WHERE value <> excluded.value
                """).execute(arguments: [accountID, try ids.next("field_values", db), contactID, field, value, now, now])
        }
        return (contactID, created)
    }

    /// The contact with the row's email, updated, or a new one. A contact this import already wrote
    /// means the file has the address twice; an erased address comes back only when asked.
    private mutating func contact(for row: ContactImportRow, _ db: Database) throws -> (Int64, Bool) {
        let existing = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, import_id FROM contacts WHERE account_id = ? AND email = ? COLLATE NOCASE"),
            arguments: [accountID, row.email]
        )
        if let existing {
            let id: Int64 = existing[0]
            if (existing[1] as Int64?) == importID { throw ContactImportFailure.duplicateInFile }
            try db.cachedStatement(sql: """
                UPDATE contacts SET first_name = coalesce(?, first_name), last_name = coalesce(?, last_name), phone = coalesce(?, phone),
                    import_id = ?, updated_at = ?
                WHERE account_id = ? AND id = ?
                """).execute(arguments: [row.firstName, row.lastName, row.phone, importID, now, accountID, id])
            return (id, false)
        }
        let readmits = try isErased(row.email, db)
        let id = try ids.next("contact", db)
        do {
            try db.cachedStatement(sql: """
                INSERT INTO contacts (account_id, id, email, first_name, last_name, phone, import_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [accountID, id, row.email, row.firstName ?? "", row.lastName ?? "", row.phone ?? "", importID, now, now])
        } catch let error as DatabaseError where error.isRaised("contact_limit_reached") {
            throw ContactImportFailure.sandboxContactLimit
        }
        if readmits {
            try db.execute(
                sql: "UPDATE contact_erasures SET readmitted_at = ? WHERE account_id = ? AND email_digest = ? AND readmitted_at IS NULL",
                arguments: [now, accountID, Data(ContactErasure.emailDigest(row.email, accountID: accountID))]
            )
        }
        return (id, true)
    }

    /// Whether the address is an erased contact's, to be readmitted; refused unless the import says so.
    /// Most accounts have no erasure to look for, and skip the digest.
    private func isErased(_ email: String, _ db: Database) throws -> Bool {
        guard hasErasures else { return false }
        let erased = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM contact_erasures WHERE account_id = ? AND email_digest = ? AND readmitted_at IS NULL"),
            arguments: [accountID, Data(ContactErasure.emailDigest(email, accountID: accountID))]
        ) ?? false
        if erased, !options.readmitErased { throw ContactImportFailure.erasedContact }
        return erased
    }

    /// The id of the named tag, list or field; a missing name is created when the options say so.
    private mutating func resolve(_ kind: AssetKind, _ ref: AssetRef, _ db: Database) throws -> Int64 {
        if let id = names.id(kind, ref) { return id }
        guard case .name(let name) = ref, options.createMissing else { throw ContactImportFailure.unknown(kind, ref) }
        let input: [String: JSONValue] = switch kind {
        case .tag: ["tag": .string(name)]
        case .field: ["title": .string(name)]
        default: ["name": .string(name)]
        }
        do {
            let draft = try kind.spec.draft(from: input)
            let id = try db.nextID(kind.rawValue, in: accountID)
            try AppDatabase.write(draft, id: id, accountID: accountID, isNew: true, db)
            names.created(kind, name: name, id: id)
            return id
        } catch let error as DomainError {
            throw ContactImportFailure("cannot_create_\(kind.rawValue)", "The \(kind.rawValue) '\(name)' cannot be created: \(error.message)")
        }
    }
}

/// The account's tags, lists and fields by name (any letter case) and by id.
struct ImportNames {
    let accountID: Int64
    private var byName: [AssetKind: [String: Int64]] = [:]
    private var known: [AssetKind: Set<Int64>] = [:]
    /// The current row created a tag, list or field (which its savepoint takes back if it fails).
    var createdInRow = false

    init(accountID: Int64, _ db: Database) throws {
        self.accountID = accountID
        try reload(db)
    }

    mutating func reload(_ db: Database) throws {
        byName = [:]
        known = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT kind, id, name FROM assets WHERE account_id = ? AND kind IN ('tag', 'list', 'field') ORDER BY id DESC",
            arguments: [accountID]
        )
        while let row = try rows.next() {
            guard let kind = AssetKind(rawValue: row[0]) else { continue }
            add(kind, name: row[2], id: row[1])
        }
    }

    mutating func created(_ kind: AssetKind, name: String, id: Int64) {
        add(kind, name: name, id: id)
        createdInRow = true
    }

    /// Ids are read newest first, so where two share a name the oldest wins.
    mutating func add(_ kind: AssetKind, name: String, id: Int64) {
        byName[kind, default: [:]][name.lowercased()] = id
        known[kind, default: []].insert(id)
    }

    func id(_ kind: AssetKind, _ ref: AssetRef) -> Int64? {
        switch ref {
        case .id(let id): known[kind]?.contains(id) == true ? id : nil
        case .name(let name): byName[kind]?[name.lowercased()]
        }
    }
}

/// Ids for the rows a batch inserts, taken from `id_sequences` once per kind and batch and written
/// back at its end. The batch holds the write lock throughout, so no other writer can take the same
/// ids; ids a refused row took are skipped, as ids of deleted rows are.
struct IDBlocks {
    let accountID: Int64
    private var last: [String: Int64] = [:]

    init(accountID: Int64) { self.accountID = accountID }

    mutating func next(_ kind: String, _ db: Database) throws -> Int64 {
        let current = try last[kind] ?? (Int64.fetchOne(
            db, sql: "SELECT last_id FROM id_sequences WHERE account_id = ? AND kind = ?", arguments: [accountID, kind]
        ) ?? 0)
        last[kind] = current + 1
        return current + 1
    }

    func save(_ db: Database) throws {
        for (kind, id) in last {
            try db.execute(
                sql: """
                    INSERT INTO id_sequences (account_id, kind, last_id) VALUES (?, ?, ?)
                    ON CONFLICT (account_id, kind) DO UPDATE SET last_id = max(last_id, excluded.last_id)
                    """,
                arguments: [accountID, kind, id]
            )
        }
    }
}
