import AgencyDomain
import GRDB

extension AppDatabase {
    /// Adds a contact. A duplicate email (any letter case) or a full sandbox writes nothing.
    public func createContact(accountID: Int64, _ draft: ContactDraft) async throws -> Contact {
        try await writer.write { db in try Self.insertContact(accountID: accountID, draft, db) }
    }

    /// Creates the contact, or updates the one with the same email (ActiveCampaign's `contact/sync`).
    public func syncContact(accountID: Int64, _ draft: ContactDraft) async throws -> (contact: Contact, created: Bool) {
        try await writer.write { db in
            if let existing = try Row.fetchOne(
                db, sql: "SELECT id FROM contacts WHERE account_id = ? AND email = ? COLLATE NOCASE",
                arguments: [accountID, draft.email]
            ) {
                return (try Self.updateContact(accountID: accountID, id: existing[0], draft, db), false)
            }
            return (try Self.insertContact(accountID: accountID, draft, db), true)
        }
    }

    /// The account's contacts, or those with one email (any letter case), or those whose email or
    /// names contain `search` (v3's `search`).
    public func contacts(accountID: Int64, email: String?, search: String? = nil, page: Page) async throws -> (contacts: [Contact], total: Int) {
        try lean.read { connection in
            var filter = "contacts c WHERE c.account_id = ?"
            var arguments: [any LeanArgument] = [accountID]
            if let email {
                filter += " AND c.email = ? COLLATE NOCASE"
                arguments.append(email)
            }
            if let search, !search.isEmpty {
                filter += " AND (c.email LIKE ? ESCAPE '\\' OR c.first_name LIKE ? ESCAPE '\\' OR c.last_name LIKE ? ESCAPE '\\')"
                let pattern = "%" + Self.likeEscaped(search) + "%"
                arguments += [pattern, pattern, pattern]
            }
            return try Self.contactPage(matching: filter, arguments: arguments, page: page, connection)
        }
    }

    public func contact(accountID: Int64, id: Int64) async throws -> Contact {
        try quickRead { db in try Self.contact(accountID: accountID, id: id, db) }
    }

    public func updateContact(accountID: Int64, id: Int64, _ draft: ContactDraft) async throws -> Contact {
        try await writer.write { db in try Self.updateContact(accountID: accountID, id: id, draft, db) }
    }

    public func deleteContact(accountID: Int64, id: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM contacts WHERE account_id = ? AND id = ?", arguments: [accountID, id])
            if db.changesCount == 0 { throw DomainError.notFound(what: "Contact \(id)") }
        }
    }

    static func insertContact(accountID: Int64, _ draft: ContactDraft, _ db: Database) throws -> Contact {
        let id = try db.nextID("contact", in: accountID)
        let now = Timestamp.now()
        do {
            try db.execute(
                sql: """
                    INSERT INTO contacts (account_id, id, email, first_name, last_name, phone, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [accountID, id, draft.email, draft.firstName, draft.lastName, draft.phone, now, now]
            )
        } catch let error as DatabaseError {
            throw try contactWriteError(error, accountID: accountID, email: draft.email, db)
        }
        return try contact(accountID: accountID, id: id, db)
    }

    static func updateContact(accountID: Int64, id: Int64, _ draft: ContactDraft, _ db: Database) throws -> Contact {
        do {
            try db.execute(
                sql: """
                    UPDATE contacts SET email = ?, first_name = ?, last_name = ?, phone = ?, updated_at = ?
                    WHERE account_id = ? AND id = ?
                    """,
                arguments: [draft.email, draft.firstName, draft.lastName, draft.phone, Timestamp.now(), accountID, id]
            )
        } catch let error as DatabaseError {
            throw try contactWriteError(error, accountID: accountID, email: draft.email, db)
        }
        if db.changesCount == 0 { throw DomainError.notFound(what: "Contact \(id)") }
        return try contact(accountID: accountID, id: id, db)
    }

    /// A duplicate email is reported as such even in a full sandbox, where the cap's trigger fires first.
    static func contactWriteError(_ error: DatabaseError, accountID: Int64, email: String, _ db: Database) throws -> any Error {
        let duplicate = DomainError.duplicate(field: "contact.email", message: "A contact with the email '\(email)' already exists.")
        if error.isUniqueViolation { return duplicate }
        if let erased = error.erasedContact { return erased }
        if let limit = try error.limitReached(accountID: accountID, db) {
            let exists = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM contacts WHERE account_id = ? AND email = ? COLLATE NOCASE)", arguments: [accountID, email]
            ) ?? false
            return exists ? duplicate : limit
        }
        return error
    }

    static let contactSelect = "SELECT c.id, c.email, c.first_name, c.last_name, c.phone, c.created_at, c.updated_at"

    static func contact(accountID: Int64, id: Int64, _ db: Database) throws -> Contact {
        let select = try db.cachedStatement(sql: contactSelect + " FROM contacts c WHERE c.account_id = ? AND c.id = ?")
        guard let contact = try contacts(select, arguments: [accountID, id]).first else {
            throw DomainError.notFound(what: "Contact \(id)")
        }
        return contact
    }

    /// A page of the contacts that `matching` (a FROM clause naming contacts `c`, its `?` bound to
    /// `arguments`) selects, and how many it selects in all, in one read so that both agree. The
    /// busiest read of the per-account API, hence on the lean reader.
    static func contactPage(matching: String, arguments: [any LeanArgument], page: Page, _ connection: LeanConnection) throws -> (contacts: [Contact], total: Int) {
        let total = try connection.integer("SELECT count(*) FROM \(matching)", arguments)
        var contacts: [Contact] = []
        contacts.reserveCapacity(page.limit)  // at most Page.maximumLimit
        try connection.forEachRow(contactSelect + " FROM \(matching) ORDER BY c.id LIMIT ? OFFSET ?", arguments + [page.limit, page.offset]) { row in
            contacts.append(Contact(
                id: row.integer(0), email: row.text(1), firstName: row.text(2), lastName: row.text(3), phone: row.text(4),
                createdAt: row.text(5), updatedAt: row.text(6)
            ))
        }
        return (contacts, Int(total))
    }

    /// The contacts a statement selects, its columns in `contactSelect`'s order.
    static func contacts(_ statement: Statement, arguments: StatementArguments) throws -> [Contact] {
        try Array(Row.fetchCursor(statement, arguments: arguments).map(contact))
    }

    /// Columns are read by position: looking them up by name was a measurable part of a contacts page.
    static func contact(_ row: Row) -> Contact {
        Contact(id: row[0], email: row[1], firstName: row[2], lastName: row[3], phone: row[4], createdAt: row[5], updatedAt: row[6])
    }
}
