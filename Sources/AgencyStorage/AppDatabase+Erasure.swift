import AgencyDomain
import Foundation
import GRDB

/// The audit record of one erasure: when and by whom, never what.
public struct ContactErasureRecord: Equatable, Sendable {
    public var contactID: Int64
    public var erasedAt: String
    public var erasedBy: String
}

extension AppDatabase {
    /// Erases a contact (GDPR's right to erasure): every personal value becomes DELETED and the email
    /// an undeliverable placeholder, the contact is unsubscribed from every list (its history says
    /// when), the outbox forgets its address, and an audit row records when and by whom. Afterwards
    /// the WAL is checkpointed and truncated and, with `secure_delete`, no old copy of the values is
    /// left in the file. Erasing an erased contact again changes nothing and returns the first record.
    public func eraseContact(accountID: Int64, id: Int64, by actor: String) async throws -> ContactErasureRecord {
        let record = try await writer.write { db in try Self.erase(accountID: accountID, id: id, by: actor, db) }
        try await forgetOldPages()
        return record
    }

    /// Erases the contact with this email (any letter case).
    public func eraseContact(accountID: Int64, email: String, by actor: String) async throws -> ContactErasureRecord {
        let record = try await writer.write { db in
            guard let id = try Int64.fetchOne(
                db, sql: "SELECT id FROM contacts WHERE account_id = ? AND email = ? COLLATE NOCASE", arguments: [accountID, email]
            ) else { throw DomainError.notFound(what: "A contact with this email") }
            return try Self.erase(accountID: accountID, id: id, by: actor, db)
        }
        try await forgetOldPages()
        return record
    }

    public func contactErasures(accountID: Int64) async throws -> [ContactErasureRecord] {
        try quickRead { db in
            try Row.fetchAll(db, sql: "SELECT contact_id, erased_at, erased_by FROM contact_erasures WHERE account_id = ? ORDER BY erased_at, contact_id", arguments: [accountID])
                .map { ContactErasureRecord(contactID: $0[0], erasedAt: $0[1], erasedBy: $0[2]) }
        }
    }

    static func erase(accountID: Int64, id: Int64, by actor: String, _ db: Database) throws -> ContactErasureRecord {
        guard let contact = try Row.fetchOne(
            db, sql: "SELECT email, erased_at FROM contacts WHERE account_id = ? AND id = ?", arguments: [accountID, id]
        ) else { throw DomainError.notFound(what: "Contact \(id)") }
        if (contact[1] as String?) != nil {
            return try Row.fetchOne(db, sql: "SELECT erased_at, erased_by FROM contact_erasures WHERE account_id = ? AND contact_id = ?", arguments: [accountID, id])
                .map { ContactErasureRecord(contactID: id, erasedAt: $0[0], erasedBy: $0[1]) }
                ?? ContactErasureRecord(contactID: id, erasedAt: contact[1], erasedBy: "")
        }
        let now = Timestamp.now()
        let deleted = ContactErasure.deleted
        let placeholder = ContactErasure.placeholderEmail(contactID: id)
        try db.execute(
            sql: "INSERT INTO contact_erasures (account_id, contact_id, email_digest, erased_at, erased_by) VALUES (?, ?, ?, ?, ?)",
            arguments: [accountID, id, Data(ContactErasure.emailDigest(contact[0], accountID: accountID)), now, actor]
        )
        try db.execute(
            sql: "UPDATE contact_lists SET status = 2, updated_at = ? WHERE account_id = ? AND contact_id = ? AND status <> 2",
            arguments: [now, accountID, id]
        )
        try db.execute(sql: "UPDATE field_values SET value = ?, updated_at = ? WHERE account_id = ? AND contact_id = ?", arguments: [deleted, now, accountID, id])
        try db.execute(sql: "UPDATE outbox SET email = ? WHERE account_id = ? AND contact_id = ?", arguments: [placeholder, accountID, id])
        try db.execute(
            sql: """
                UPDATE contacts SET email = ?, first_name = ?, last_name = ?, phone = ?, erased_at = ?, updated_at = ?
                WHERE account_id = ? AND id = ?
                """,
            arguments: [placeholder, deleted, deleted, deleted, now, now, accountID, id]
        )
        return ContactErasureRecord(contactID: id, erasedAt: now, erasedBy: actor)
    }

    /// Moves the WAL into the database file and empties it, so the pages that held erased values
    /// (the WAL keeps old versions of pages until a checkpoint) are gone. A reader still looking at
    /// an old page delays it; a few tries cover short reads.
    func forgetOldPages() async throws {
        guard writer is DatabasePool else { return }  // an in-memory database has no file
        for _ in 0..<20 {
            let (busy, _, _) = try await writer.barrierWriteWithoutTransaction { db in
                try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)").map { ($0[0] as Int, $0[1] as Int, $0[2] as Int) } ?? (0, 0, 0)
            }
            if busy == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
