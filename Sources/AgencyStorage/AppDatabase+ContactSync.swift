import AgencyDomain
import Foundation
import GRDB

/// One contact waiting in a connection's outbox: every row up to `upTo` is covered by one delivery.
public struct PendingSyncContact: Equatable, Sendable {
    public var contactID: Int64
    public var upTo: Int64
}

/// What the worker needs to deliver one contact: its data now and what the remote last acknowledged.
public struct SyncContactRecord: Sendable {
    /// nil when the contact was deleted.
    public var source: SyncContactState.Source?
    public var remoteEmail: String?
    public var syncedDigest: [UInt8]?
    public var status: String?
    public var attempts: Int
}

/// How one delivery ended, as recorded.
public enum SyncDeliveryRecord: Sendable {
    /// The remote acknowledged this state; `remoteEmail` is the address it now knows.
    case delivered(remoteEmail: String, digest: [UInt8])
    /// The state equals what the remote has, or there was nothing to tell it: no call made.
    case unchanged
    /// A 4xx (or too many 5xx): the contact is failed with the remote's message until its next change.
    case failed(message: String)
}

/// The per-contact sync state shown in the API.
public struct SyncContactStatus: Equatable, Sendable {
    public var contactID: Int64
    public var email: String?
    public var status: String
    public var message: String?
    public var updatedAt: String
}

/// A full reconciliation's counts.
public struct SyncRunSummary: Equatable, Sendable {
    public var id: Int64
    public var connectionID: Int64
    public var trigger: String
    public var startedAt: String
    public var finishedAt: String?
    public var contacts: Int
    public var sent: Int
    public var updated: Int
    public var unchanged: Int
    public var failed: Int
    public var deferred: Int
    public var calls: Int

    public init(
        id: Int64 = 0, connectionID: Int64, trigger: String, startedAt: String = "", finishedAt: String? = nil, contacts: Int = 0, sent: Int = 0,
        updated: Int = 0, unchanged: Int = 0, failed: Int = 0, deferred: Int = 0, calls: Int = 0
    ) {
        self.id = id
        self.connectionID = connectionID
        self.trigger = trigger
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.contacts = contacts
        self.sent = sent
        self.updated = updated
        self.unchanged = unchanged
        self.failed = failed
        self.deferred = deferred
        self.calls = calls
    }
}

/// What an inbound event did.
public enum InboundSyncResult: String, Sendable {
    case applied
    /// The same event came before: nothing changed.
    case duplicate
    /// No contact with that address, or an erased one, or no mapped list: nothing changed.
    case ignored
}

extension AppDatabase {
    // MARK: - The worker's queue

    /// Enabled connections that are not paused at `now` and have changes waiting.
    public func dueSyncConnections(now: Date) async throws -> [SyncConnection] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: Self.connectionSelect + """
                     WHERE enabled = 1 AND (paused_until IS NULL OR paused_until <= ?)
                       AND EXISTS (SELECT 1 FROM sync_outbox o WHERE o.connection_id = sync_connections.id)
                     ORDER BY id
                    """,
                arguments: [Timestamp.precise(now)]
            ).map { try Self.connection(from: $0, db) }
        }
    }

    /// Enabled connections whose interval has passed since their last full sync.
    public func connectionsDueForFullSync(now: Date) async throws -> [SyncConnection] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: Self.connectionSelect + " WHERE enabled = 1 AND interval_minutes > 0 AND (paused_until IS NULL OR paused_until <= ?) ORDER BY id", arguments: [Timestamp.precise(now)])
                .map { try Self.connection(from: $0, db) }
                .filter { connection in
                    guard let last = connection.lastFullSyncAt.flatMap({ try? Date($0, strategy: .iso8601) }) else { return true }
                    return last.addingTimeInterval(Double(connection.intervalMinutes) * 60) <= now
                }
        }
    }

    /// The contacts waiting in a connection's outbox, the one that changed first first.
    public func pendingSyncContacts(connectionID: Int64, limit: Int) async throws -> [PendingSyncContact] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT contact_id, max(id) FROM sync_outbox WHERE connection_id = ? GROUP BY contact_id ORDER BY min(id) LIMIT ?",
                arguments: [connectionID, limit]
            ).map { PendingSyncContact(contactID: $0[0], upTo: $0[1]) }
        }
    }

    /// Changes still waiting for a connection (rows, not contacts).
    public func pendingSyncChanges(connectionID: Int64) async throws -> Int {
        try quickRead { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_outbox WHERE connection_id = ?", arguments: [connectionID]) ?? 0 }
    }

    /// A contact's data now, with the fields and lists the connection maps, and its sync state.
    public func syncContactRecord(connection: SyncConnection, contactID: Int64) async throws -> SyncContactRecord {
        try await writer.read { db in
            let state = try Row.fetchOne(
                db, sql: "SELECT remote_email, synced_digest, status, attempts FROM sync_contact_states WHERE connection_id = ? AND contact_id = ?",
                arguments: [connection.id, contactID]
            )
            var source: SyncContactState.Source?
            if let row = try Row.fetchOne(
                db, sql: "SELECT email, first_name, last_name, phone, erased_at IS NOT NULL FROM contacts WHERE account_id = ? AND id = ?",
                arguments: [connection.accountID, contactID]
            ) {
                var values: [Int64: String] = [:]
                for fieldID in connection.fields.compactMap(\.customFieldID) {
                    values[fieldID] = try String.fetchOne(
                        db, sql: "SELECT value FROM field_values WHERE account_id = ? AND contact_id = ? AND field_id = ?", arguments: [connection.accountID, contactID, fieldID]
                    )
                }
                var statuses: [Int64: Int] = [:]
                for pair in connection.lists {
                    statuses[pair.listID] = try Int.fetchOne(
                        db, sql: "SELECT status FROM contact_lists WHERE account_id = ? AND contact_id = ? AND list_id = ?", arguments: [connection.accountID, contactID, pair.listID]
                    )
                }
                source = SyncContactState.Source(
                    email: row[0], firstName: row[1], lastName: row[2], phone: row[3], erased: row[4], fieldValues: values, listStatuses: statuses
                )
            }
            return SyncContactRecord(
                source: source, remoteEmail: state?[0], syncedDigest: (state?[1] as Data?).map(Array.init), status: state?[2], attempts: state?[3] ?? 0
            )
        }
    }

    /// Counts one API call against the connection's budget for the day of `now`, before it is made, so
    /// that a crash after the call can never let the budget be passed. When the day's budget is spent,
    /// nothing is counted, the connection pauses until the next window and the answer is false.
    public func reserveSyncCall(connectionID: Int64, now: Date) async throws -> Bool {
        try await writer.write { db in
            let day = SyncBudgetWindow.day(of: now)
            let budget = try Int.fetchOne(db, sql: "SELECT daily_budget FROM sync_connections WHERE id = ?", arguments: [connectionID]) ?? 0
            let used = try Int.fetchOne(db, sql: "SELECT calls FROM sync_usage WHERE connection_id = ? AND day = ?", arguments: [connectionID, day]) ?? 0
            guard used < budget else {
                try db.execute(
                    sql: "UPDATE sync_connections SET paused_until = ?, last_error = ? WHERE id = ?",
                    arguments: [Timestamp.precise(SyncBudgetWindow.nextWindow(after: now)), "The daily budget of \(budget) API calls is spent; resuming at the next UTC day.", connectionID]
                )
                return false
            }
            try db.execute(
                sql: "INSERT INTO sync_usage (connection_id, day, calls) VALUES (?, ?, 1) ON CONFLICT (connection_id, day) DO UPDATE SET calls = calls + 1",
                arguments: [connectionID, day]
            )
            return true
        }
    }

    /// API calls counted for a connection on the day of `now`.
    public func syncCallsUsed(connectionID: Int64, on now: Date) async throws -> Int {
        try quickRead { db in
            try Int.fetchOne(db, sql: "SELECT calls FROM sync_usage WHERE connection_id = ? AND day = ?", arguments: [connectionID, SyncBudgetWindow.day(of: now)]) ?? 0
        }
    }

    /// Records how a delivery ended and removes the changes it covered (`upTo`; nil for a full sync,
    /// which covers what was queued before it read the contact). A change queued while the delivery
    /// was under way has a larger id and stays, for the next delivery.
    public func recordSyncDelivery(connectionID: Int64, contactID: Int64, upTo: Int64?, _ record: SyncDeliveryRecord, now: Date) async throws {
        try await writer.write { db in
            let stamp = Timestamp.string(from: now)
            if let upTo {
                try db.execute(sql: "DELETE FROM sync_outbox WHERE connection_id = ? AND contact_id = ? AND id <= ?", arguments: [connectionID, contactID, upTo])
            }
            switch record {
            case .delivered(let remoteEmail, let digest):
                try db.execute(
                    sql: """
                        INSERT INTO sync_contact_states (connection_id, contact_id, remote_email, synced_digest, status, message, attempts, updated_at)
                        VALUES (?, ?, ?, ?, 'ok', NULL, 0, ?)
                        ON CONFLICT (connection_id, contact_id) DO UPDATE SET remote_email = excluded.remote_email, synced_digest = excluded.synced_digest,
                            status = 'ok', message = NULL, attempts = 0, updated_at = excluded.updated_at
                        """,
                    arguments: [connectionID, contactID, remoteEmail, Data(digest), stamp]
                )
                try db.execute(sql: "UPDATE sync_connections SET failures_in_row = 0, last_error = NULL WHERE id = ?", arguments: [connectionID])
            case .unchanged:
                break
            case .failed(let message):
                try db.execute(
                    sql: """
                        INSERT INTO sync_contact_states (connection_id, contact_id, status, message, attempts, updated_at) VALUES (?, ?, 'failed', ?, 0, ?)
                        ON CONFLICT (connection_id, contact_id) DO UPDATE SET status = 'failed', message = excluded.message, attempts = 0, updated_at = excluded.updated_at
                        """,
                    arguments: [connectionID, contactID, message, stamp]
                )
            }
        }
    }

    /// Counts a 5xx answer for a contact; answers how many it has met in a row.
    public func countSyncServerError(connectionID: Int64, contactID: Int64, now: Date) async throws -> Int {
        try await writer.write { db in
            try Int.fetchOne(
                db,
                sql: """
                    INSERT INTO sync_contact_states (connection_id, contact_id, status, attempts, updated_at) VALUES (?, ?, 'ok', 1, ?)
                    ON CONFLICT (connection_id, contact_id) DO UPDATE SET attempts = attempts + 1, updated_at = excluded.updated_at
                    RETURNING attempts
                    """,
                arguments: [connectionID, contactID, Timestamp.string(from: now)]
            ) ?? 1
        }
    }

    /// Pauses a connection after an answer that concerns it all (429, an outage, wrong credentials);
    /// answers how many such failures it has had in a row, this one included.
    @discardableResult
    public func pauseSyncConnection(id: Int64, until: Date?, error: String, countsAsFailure: Bool) async throws -> Int {
        try await writer.write { db in
            try Int.fetchOne(
                db,
                sql: "UPDATE sync_connections SET paused_until = ?, last_error = ?, failures_in_row = failures_in_row + ? WHERE id = ? RETURNING failures_in_row",
                arguments: [until.map(Timestamp.precise), error, countsAsFailure ? 1 : 0, id]
            ) ?? 0
        }
    }

    /// Failures in a row the connection has had (the backoff's exponent).
    public func syncFailuresInRow(connectionID: Int64) async throws -> Int {
        try quickRead { db in try Int.fetchOne(db, sql: "SELECT failures_in_row FROM sync_connections WHERE id = ?", arguments: [connectionID]) ?? 0 }
    }

    // MARK: - Per-contact state, for people

    /// The sync state of a connection's contacts, `ok` or `failed`, by contact id.
    public func syncContactStatuses(connectionID: Int64, accountID: Int64, agencyID: Int64, status: String?, page: Page) async throws -> (items: [SyncContactStatus], total: Int) {
        try quickRead { db in
            try Self.requireAgencyAccount(accountID: accountID, agencyID: agencyID, db)
            _ = try Self.connection(id: connectionID, accountID: accountID, db)
            let filter = status == nil ? "" : " AND s.status = :status"
            let arguments: StatementArguments = ["connection": connectionID, "account": accountID, "status": status, "limit": page.limit, "offset": page.offset]
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_contact_states s WHERE s.connection_id = :connection" + filter, arguments: arguments) ?? 0
            let items = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.contact_id, c.email, s.status, s.message, s.updated_at FROM sync_contact_states s
                    LEFT JOIN contacts c ON c.account_id = :account AND c.id = s.contact_id
                    WHERE s.connection_id = :connection\(filter) ORDER BY s.contact_id LIMIT :limit OFFSET :offset
                    """,
                arguments: arguments
            ).map { SyncContactStatus(contactID: $0[0], email: $0[1], status: $0[2], message: $0[3], updatedAt: $0[4]) }
            return (items, total)
        }
    }

    // MARK: - Full syncs

    /// Every contact a full sync looks at: on a mapped list, or known to the remote side.
    public func syncReconciliationContacts(connectionID: Int64) async throws -> [Int64] {
        try await writer.read { db in
            try Int64.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT l.contact_id FROM sync_list_mappings m JOIN contact_lists l ON l.account_id = m.account_id AND l.list_id = m.list_id
                    WHERE m.connection_id = ?
                    UNION SELECT contact_id FROM sync_contact_states WHERE connection_id = ? ORDER BY 1
                    """,
                arguments: [connectionID, connectionID]
            )
        }
    }

    /// The largest outbox id of a contact now: a full sync that delivers it covers those changes too.
    public func latestSyncChange(connectionID: Int64, contactID: Int64) async throws -> Int64? {
        try await writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT max(id) FROM sync_outbox WHERE connection_id = ? AND contact_id = ?", arguments: [connectionID, contactID])
        }
    }

    public func startSyncRun(connectionID: Int64, trigger: String, now: Date) async throws -> Int64 {
        try await writer.write { db in
            let stamp = Timestamp.string(from: now)
            try db.execute(sql: "INSERT INTO sync_runs (connection_id, trigger, started_at) VALUES (?, ?, ?)", arguments: [connectionID, trigger, stamp])
            let id = db.lastInsertedRowID
            try db.execute(sql: "UPDATE sync_connections SET last_full_sync_at = ? WHERE id = ?", arguments: [stamp, connectionID])
            return id
        }
    }

    public func finishSyncRun(_ summary: SyncRunSummary, now: Date) async throws -> SyncRunSummary {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE sync_runs SET finished_at = ?, contacts = ?, sent = ?, updated = ?, unchanged = ?, failed = ?, deferred = ?, calls = ? WHERE id = ?",
                arguments: [Timestamp.string(from: now), summary.contacts, summary.sent, summary.updated, summary.unchanged, summary.failed, summary.deferred, summary.calls, summary.id]
            )
            return try Self.syncRuns(connectionID: summary.connectionID, id: summary.id, db).first ?? summary
        }
    }

    /// A connection's full syncs, newest first.
    public func syncRuns(connectionID: Int64, accountID: Int64, agencyID: Int64) async throws -> [SyncRunSummary] {
        try quickRead { db in
            try Self.requireAgencyAccount(accountID: accountID, agencyID: agencyID, db)
            _ = try Self.connection(id: connectionID, accountID: accountID, db)
            return try Self.syncRuns(connectionID: connectionID, id: nil, db)
        }
    }

    static func syncRuns(connectionID: Int64, id: Int64?, _ db: Database) throws -> [SyncRunSummary] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, connection_id, trigger, started_at, finished_at, contacts, sent, updated, unchanged, failed, deferred, calls
                FROM sync_runs WHERE connection_id = ?\(id == nil ? "" : " AND id = ?") ORDER BY id DESC LIMIT 100
                """,
            arguments: StatementArguments([connectionID] + (id.map { [$0] } ?? []))
        ).map {
            SyncRunSummary(
                id: $0[0], connectionID: $0[1], trigger: $0[2], startedAt: $0[3], finishedAt: $0[4], contacts: $0[5], sent: $0[6], updated: $0[7],
                unchanged: $0[8], failed: $0[9], deferred: $0[10], calls: $0[11]
            )
        }
    }

    // MARK: - Inbound events (two_way)

    /// Applies a subscribe or unsubscribe the remote reported: the contact with that address gets the
    /// status on each mapped list the event names (every mapped list when it names none). The event's
    /// key is recorded in the same transaction, so a replay changes nothing; an erased contact is never
    /// touched. Status changes go through `contact_lists`, so their history and webhooks follow.
    public func applyInboundSyncEvent(connection: SyncConnection, _ event: InboundSyncEvent, now: Date) async throws -> InboundSyncResult {
        try await writer.write { db in
            let stamp = Timestamp.string(from: now)
            try db.execute(
                sql: "INSERT INTO sync_inbound_events (connection_id, event_key, received_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [connection.id, event.key, stamp]
            )
            if db.changesCount == 0 { return .duplicate }
            guard let contact = try Row.fetchOne(
                db, sql: "SELECT id, erased_at IS NOT NULL FROM contacts WHERE account_id = ? AND email = ? COLLATE NOCASE", arguments: [connection.accountID, event.email]
            ), !(contact[1] as Bool) else { return .ignored }
            let contactID: Int64 = contact[0]
            let lists = connection.lists.filter { event.remoteLists.isEmpty || event.remoteLists.contains($0.remoteList) }
            guard !lists.isEmpty else { return .ignored }
            let status = event.subscribed ? 1 : 2
            for pair in lists {
                if let existing = try Int64.fetchOne(
                    db, sql: "SELECT id FROM contact_lists WHERE account_id = ? AND contact_id = ? AND list_id = ?", arguments: [connection.accountID, contactID, pair.listID]
                ) {
                    try db.execute(
                        sql: "UPDATE contact_lists SET status = ?, updated_at = ? WHERE account_id = ? AND id = ? AND status <> ?",
                        arguments: [status, stamp, connection.accountID, existing, status]
                    )
                } else if event.subscribed {
                    let id = try db.nextID("contact_lists", in: connection.accountID)
                    try db.execute(
                        sql: "INSERT INTO contact_lists (account_id, id, contact_id, list_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)",
                        arguments: [connection.accountID, id, contactID, pair.listID, stamp, stamp]
                    )
                }
            }
            return .applied
        }
    }
}
