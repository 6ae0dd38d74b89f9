import AgencyDomain
import Foundation
import GRDB

/// One event on its way to a webhook, with what its request body needs, read when it is sent.
public struct WebhookDelivery: Sendable {
    public var id: Int64
    public var accountID: Int64
    public var url: String
    public var event: String
    public var createdAt: String
    public var attempts: Int
    /// The contact as it is now (an erased one reads DELETED); nil when the event has none.
    public var contact: Contact?
    /// The tag, list, campaign or send the event concerns, and the tag's name.
    public var subjectID: Int64?
    public var tagName: String?
    public var link: String?
}

extension AppDatabase {
    public func createWebhook(accountID: Int64, _ draft: WebhookDraft) async throws -> Webhook {
        try await writer.write { db in
            let id = try db.nextID("webhook", in: accountID)
            let now = Timestamp.now()
            try db.execute(
                sql: "INSERT INTO webhooks (account_id, id, name, url, events, sources, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [accountID, id, draft.name, draft.url, try JSONText.encode(draft.events), try JSONText.encode(draft.sources), now, now]
            )
            return try Self.webhook(accountID: accountID, id: id, db)
        }
    }

    public func updateWebhook(accountID: Int64, id: Int64, _ draft: WebhookDraft) async throws -> Webhook {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE webhooks SET name = ?, url = ?, events = ?, sources = ?, updated_at = ? WHERE account_id = ? AND id = ?",
                arguments: [draft.name, draft.url, try JSONText.encode(draft.events), try JSONText.encode(draft.sources), Timestamp.now(), accountID, id]
            )
            if db.changesCount == 0 { throw DomainError.notFound(what: "Webhook \(id)") }
            return try Self.webhook(accountID: accountID, id: id, db)
        }
    }

    public func webhook(accountID: Int64, id: Int64) async throws -> Webhook {
        try quickRead { db in try Self.webhook(accountID: accountID, id: id, db) }
    }

    public func webhooks(accountID: Int64, page: Page) async throws -> (webhooks: [Webhook], total: Int) {
        try quickRead { db in
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM webhooks WHERE account_id = ?", arguments: [accountID])!
            let rows = try Row.fetchAll(db, sql: Self.webhookSelect + " WHERE account_id = ? ORDER BY id LIMIT ? OFFSET ?", arguments: [accountID, page.limit, page.offset])
            return (try rows.map(Self.webhook(from:)), total)
        }
    }

    /// Deletes the webhook and the deliveries it still had waiting.
    public func deleteWebhook(accountID: Int64, id: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM webhooks WHERE account_id = ? AND id = ?", arguments: [accountID, id])
            if db.changesCount == 0 { throw DomainError.notFound(what: "Webhook \(id)") }
        }
    }

    /// Deliveries due at `now`, oldest first, with what their request bodies need: at most `perWebhook`
    /// of each webhook's, so that one webhook's backlog (a receiver that hangs while hundreds of events
    /// wait for it) cannot fill the poll and hold back every other webhook's deliveries.
    public func dueWebhookDeliveries(now: Date, perWebhook: Int = 10, limit: Int = 1_000) async throws -> [WebhookDelivery] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.account_id, w.url, d.event, d.created_at, d.attempts, d.contact_id, d.subject_id, d.link,
                           c.email, c.first_name, c.last_name, c.phone, c.created_at, c.updated_at, t.name
                    FROM (
                        SELECT *, row_number() OVER (PARTITION BY account_id, webhook_id ORDER BY next_attempt_at, id) AS place
                        FROM webhook_deliveries
                        WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
                    ) d
                    JOIN webhooks w ON w.account_id = d.account_id AND w.id = d.webhook_id
                    LEFT JOIN contacts c ON c.account_id = d.account_id AND c.id = d.contact_id
                    LEFT JOIN assets t ON d.event LIKE 'contact_tag_%' AND t.account_id = d.account_id AND t.kind = 'tag' AND t.id = d.subject_id
                    WHERE d.place <= ?
                    ORDER BY d.next_attempt_at, d.id LIMIT ?
                    """,
                arguments: [Timestamp.string(from: now), perWebhook, limit]
            ).map { row in
                let contactID: Int64? = row[6]
                let email: String? = row[9]
                return WebhookDelivery(
                    id: row[0], accountID: row[1], url: row[2], event: row[3], createdAt: row[4], attempts: row[5],
                    contact: contactID.flatMap { id in
                        email.map { Contact(id: id, email: $0, firstName: row[10], lastName: row[11], phone: row[12], createdAt: row[13], updatedAt: row[14]) }
                    },
                    subjectID: row[7], tagName: row[15], link: row[8]
                )
            }
        }
    }

    /// Records one try: delivered, or failed and tried again later (`WebhookRetry`), or given up.
    public func recordWebhookAttempt(id: Int64, delivered: Bool, error: String?, now: Date) async throws {
        try await writer.write { db in
            guard let attempts = try Int.fetchOne(db, sql: "SELECT attempts FROM webhook_deliveries WHERE id = ?", arguments: [id]) else { return }
            let made = attempts + 1
            let stamp = Timestamp.string(from: now)
            if delivered {
                try db.execute(sql: "UPDATE webhook_deliveries SET attempts = ?, delivered_at = ?, last_error = NULL WHERE id = ?", arguments: [made, stamp, id])
            } else if made >= WebhookRetry.maxAttempts {
                try db.execute(sql: "UPDATE webhook_deliveries SET attempts = ?, failed_at = ?, last_error = ? WHERE id = ?", arguments: [made, stamp, error, id])
            } else {
                let next = Timestamp.string(from: now.addingTimeInterval(WebhookRetry.delay(afterAttempts: made)))
                try db.execute(sql: "UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?", arguments: [made, next, error, id])
            }
        }
    }

    /// A webhook's deliveries, newest first: what was sent, how often tried, and the last error.
    public func webhookDeliveries(accountID: Int64, webhookID: Int64) async throws -> [(event: String, attempts: Int, delivered: Bool, failed: Bool, lastError: String?)] {
        try quickRead { db in
            try Row.fetchAll(
                db, sql: "SELECT event, attempts, delivered_at IS NOT NULL, failed_at IS NOT NULL, last_error FROM webhook_deliveries WHERE account_id = ? AND webhook_id = ? ORDER BY id DESC",
                arguments: [accountID, webhookID]
            ).map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
        }
    }

    static let webhookSelect = "SELECT id, name, url, events, sources, created_at, updated_at FROM webhooks"

    static func webhook(accountID: Int64, id: Int64, _ db: Database) throws -> Webhook {
        guard let row = try Row.fetchOne(db, sql: webhookSelect + " WHERE account_id = ? AND id = ?", arguments: [accountID, id]) else {
            throw DomainError.notFound(what: "Webhook \(id)")
        }
        return try webhook(from: row)
    }

    static func webhook(from row: Row) throws -> Webhook {
        Webhook(
            id: row[0], name: row[1], url: row[2], events: try JSONText.decode(row[3] as String) as [String],
            sources: try JSONText.decode(row[4] as String) as [String], createdAt: row[5], updatedAt: row[6]
        )
    }
}
