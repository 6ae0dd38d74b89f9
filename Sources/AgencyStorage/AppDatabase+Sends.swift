import AgencyDomain
import GRDB

extension AppDatabase {
    /// Records one email sent to `contactIDs`: one outbox row per recipient, all or nothing.
    /// A sandbox refuses the whole send when it would take it past its send limit.
    public func recordSend(accountID: Int64, subject: String, html: String, contactIDs: [Int64]) async throws -> EmailSend {
        try await writer.write { db in try Self.insertSend(accountID: accountID, subject: subject, html: html, contactIDs: contactIDs, db) }
    }

    /// Sends a campaign to the subscribers of its lists through the same path, and marks it sent.
    /// The campaign's message (or else template) gives subject and HTML.
    public func sendCampaign(accountID: Int64, campaignID: Int64) async throws -> EmailSend {
        try await writer.write { db in
            let campaign = try Self.asset(accountID: accountID, kind: .campaign, id: campaignID, db)
            guard campaign.body["status"]?.stringValue != "sent" else {
                throw DomainError.conflict(code: "campaign_already_sent", message: "Campaign \(campaignID) was already sent.")
            }
            let lists = (campaign.body["lists"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { Int64($0) } }
            var content: (subject: String, html: String) = (campaign.name, "")
            if let id = campaign.body["message"]?.stringValue.flatMap({ Int64($0) }) {
                let message = try Self.asset(accountID: accountID, kind: .message, id: id, db)
                content = (message.body["subject"]?.stringValue ?? campaign.name, message.body["html"]?.stringValue ?? "")
            } else if let id = campaign.body["template"]?.stringValue.flatMap({ Int64($0) }) {
                let template = try Self.asset(accountID: accountID, kind: .template, id: id, db)
                content = (template.body["subject"]?.stringValue ?? campaign.name, template.body["html"]?.stringValue ?? "")
            }
            let recipients = lists.isEmpty ? [] : try Int64.fetchAll(
                db,
                sql: "SELECT DISTINCT contact_id FROM contact_lists WHERE account_id = ? AND status = 1 AND list_id IN (\(lists.map { _ in "?" }.joined(separator: ","))) ORDER BY contact_id",
                arguments: StatementArguments([accountID] + lists)
            )
            guard !recipients.isEmpty else {
                throw DomainError.invalid(field: "campaign.lists", message: "Campaign \(campaignID) has no subscribed contacts on its lists to send to.")
            }
            let send = try Self.insertSend(accountID: accountID, subject: content.subject, html: content.html, contactIDs: recipients, db)
            try Self.count("send_amt", by: recipients.count, campaignID: campaignID, accountID: accountID, now: send.createdAt, db)
            try db.execute(
                sql: """
                    UPDATE assets AS a SET body = json_set(\(Self.assetBody), '$.status', 'sent'), shared_blob = NULL, shared_inert = 0, updated_at = ?
                    WHERE a.account_id = ? AND a.kind = 'campaign' AND a.id = ?
                    """,
                arguments: [Timestamp.now(), accountID, campaignID]
            )
            return send
        }
    }

    static func insertSend(accountID: Int64, subject: String, html: String, contactIDs: [Int64], _ db: Database) throws -> EmailSend {
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
            } catch let error as DatabaseError where error.isUniqueViolation {
                throw DomainError.invalid(field: "send.contacts[\(index)]", message: "Contact \(contactID) is listed twice.")
            } catch let error as DatabaseError {
                if let erased = error.erasedContact { throw erased }
                throw try error.limitReached(accountID: accountID, db) ?? error
            }
            if db.changesCount == 0 {
                throw DomainError.invalid(field: "send.contacts[\(index)]", message: "Contact \(contactID) does not exist in this account.")
            }
        }
        return EmailSend(id: id, subject: subject, recipients: contactIDs.count, createdAt: now)
    }

    /// The account's sends, newest first.
    public func sends(accountID: Int64, page: Page) async throws -> (sends: [EmailSend], total: Int) {
        try quickRead { db in
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
