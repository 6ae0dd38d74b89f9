import AgencyDomain
import GRDB

extension AppDatabase {
    /// Records one email sent to `contactIDs`: one outbox row per recipient, all or nothing.
    /// A sandbox refuses the whole send when it would take it past its send limit.
    public func recordSend(accountID: Int64, subject: String, html: String, contactIDs: [Int64]) async throws -> EmailSend {
        try await writer.write { db in
            let id = try db.nextID("send", in: accountID)
            let now = Timestamp.now()
            try db.execute(
                sql: "INSERT INTO email_sends (account_id, id, subject, html, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [accountID, id, subject, html, now]
            )
            for (index, contactID) in contactIDs.enumerated() {
                do {
                    // Copies the address from the contact, so a missing contact inserts nothing.
                    try db.execute(
                        sql: """
                            INSERT INTO outbox (account_id, send_id, contact_id, email, created_at)
                            SELECT account_id, ?, id, email, ? FROM contacts WHERE account_id = ? AND id = ?
                            """,
                        arguments: [id, now, accountID, contactID]
                    )
                } catch let error as DatabaseError where error.isRaised("send_limit_reached") {
                    let limit = try Int.fetchOne(db, sql: "SELECT send_limit FROM accounts WHERE id = ?", arguments: [accountID]) ?? 0
                    throw DomainError.limitReached(.sends, limit: limit)
                } catch let error as DatabaseError where error.isUniqueViolation {
                    throw DomainError.invalid(field: "send.contacts[\(index)]", message: "Contact \(contactID) is listed twice.")
                }
                if db.changesCount == 0 {
                    throw DomainError.invalid(field: "send.contacts[\(index)]", message: "Contact \(contactID) does not exist in this account.")
                }
            }
            return EmailSend(id: id, subject: subject, recipients: contactIDs.count, createdAt: now)
        }
    }

    /// The account's sends, newest first.
    public func sends(accountID: Int64, page: Page) async throws -> (sends: [EmailSend], total: Int) {
        try await writer.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM email_sends WHERE account_id = ?", arguments: [accountID])!
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.id, s.subject, s.created_at,
                           (SELECT count(*) FROM outbox o WHERE o.account_id = s.account_id AND o.send_id = s.id) AS recipients
                    FROM email_sends s WHERE s.account_id = ? ORDER BY s.id DESC LIMIT ? OFFSET ?
                    """,
                arguments: [accountID, page.limit, page.offset]
            )
            let sends = rows.map { EmailSend(id: $0["id"], subject: $0["subject"], recipients: $0["recipients"], createdAt: $0["created_at"]) }
            return (sends, total)
        }
    }
}
