import AgencyDomain
import Foundation
import GRDB

/// A connection's sealed secrets, read only by the sync worker and the mapping check.
public struct SealedConnectionSecrets: Sendable {
    public var credentials: [UInt8]?
    public var inboundSecret: [UInt8]?
}

/// What a change to a connection brings: each nil keeps what is there.
public struct SyncConnectionChange: Sendable {
    public var draft: SyncConnectionDraft
    /// New credentials, sealed for the connection's id.
    public var sealCredentials: (@Sendable (Int64) throws -> [UInt8])?
    /// A new inbound secret, sealed for the connection's id (when it becomes two-way).
    public var sealInboundSecret: (@Sendable (Int64) throws -> [UInt8])?
    public var enabled: Bool?

    public init(
        draft: SyncConnectionDraft, sealCredentials: (@Sendable (Int64) throws -> [UInt8])?, sealInboundSecret: (@Sendable (Int64) throws -> [UInt8])? = nil,
        enabled: Bool?
    ) {
        self.draft = draft
        self.sealCredentials = sealCredentials
        self.sealInboundSecret = sealInboundSecret
        self.enabled = enabled
    }
}

extension AppDatabase {
    /// Creates a connection of an account of the agency. Credentials and the inbound secret are sealed
    /// for the new id inside the same transaction. Enabled, it queues every contact on a mapped list:
    /// the first full sync.
    public func createConnection(
        accountID: Int64, agencyID: Int64, draft: SyncConnectionDraft, sealCredentials: (@Sendable (Int64) throws -> [UInt8])?,
        sealInboundSecret: (@Sendable (Int64) throws -> [UInt8])?, enabled: Bool
    ) async throws -> SyncConnection {
        try await writer.write { db in
            try Self.requireAgencyAccount(accountID: accountID, agencyID: agencyID, db)
            try Self.checkMapping(draft, accountID: accountID, db)
            if enabled, sealCredentials == nil {
                throw DomainError.conflict(code: "connection_needs_credentials", message: "A connection is enabled only once it has credentials; give 'credentials'.")
            }
            let now = Timestamp.now()
            try db.execute(
                sql: """
                    INSERT INTO sync_connections (account_id, name, provider, direction, endpoint, fields, interval_minutes, daily_budget, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [accountID, draft.name, draft.provider.rawValue, draft.direction.rawValue, draft.endpoint, try JSONText.encode(draft.fields),
                            draft.intervalMinutes, draft.dailyBudget, now, now]
            )
            let id = db.lastInsertedRowID
            try Self.writeListMappings(connectionID: id, accountID: accountID, draft.lists, db)
            if let sealCredentials {
                try db.execute(sql: "UPDATE sync_connections SET credentials = ? WHERE id = ?", arguments: [Data(try sealCredentials(id)), id])
            }
            if let sealInboundSecret {
                try db.execute(sql: "UPDATE sync_connections SET inbound_secret = ? WHERE id = ?", arguments: [Data(try sealInboundSecret(id)), id])
            }
            if enabled { try Self.enable(connectionID: id, now: now, db) }
            return try Self.connection(id: id, accountID: accountID, db)
        }
    }

    /// Changes a connection. Its credentials, list mapping or endpoint change only while it is
    /// disabled (a 409 says so), and such a change starts it empty: what it knew of the remote side
    /// belonged to the old one. Enabling it queues every contact on a mapped list.
    public func updateConnection(id: Int64, accountID: Int64, agencyID: Int64, _ change: SyncConnectionChange) async throws -> SyncConnection {
        try await writer.write { db in
            try Self.requireAgencyAccount(accountID: accountID, agencyID: agencyID, db)
            let current = try Self.connection(id: id, accountID: accountID, db)
            let draft = change.draft
            guard draft.provider == current.provider else {
                throw DomainError.invalid(field: "provider", message: "A connection's provider cannot change; create another connection.")
            }
            let remoteSideChanges = change.sealCredentials != nil || draft.lists != current.lists || draft.endpoint != current.endpoint
            if current.enabled, remoteSideChanges {
                throw DomainError.conflict(
                    code: "connection_enabled",
                    message: "Connection \(id) is enabled: disable it first (PATCH {\"enabled\": false}), then change its credentials, URL or list mapping."
                )
            }
            try Self.checkMapping(draft, accountID: accountID, db)
            let now = Timestamp.now()
            try db.execute(
                sql: """
                    UPDATE sync_connections SET name = ?, direction = ?, endpoint = ?, fields = ?, interval_minutes = ?, daily_budget = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [draft.name, draft.direction.rawValue, draft.endpoint, try JSONText.encode(draft.fields), draft.intervalMinutes, draft.dailyBudget, now, id]
            )
            if remoteSideChanges {
                try db.execute(sql: "DELETE FROM sync_list_mappings WHERE connection_id = ?", arguments: [id])
                try Self.writeListMappings(connectionID: id, accountID: accountID, draft.lists, db)
                try db.execute(sql: "DELETE FROM sync_contact_states WHERE connection_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM sync_outbox WHERE connection_id = ?", arguments: [id])
            }
            if let seal = change.sealCredentials {
                try db.execute(sql: "UPDATE sync_connections SET credentials = ? WHERE id = ?", arguments: [Data(try seal(id)), id])
            }
            if let seal = change.sealInboundSecret {
                try db.execute(sql: "UPDATE sync_connections SET inbound_secret = ? WHERE id = ?", arguments: [Data(try seal(id)), id])
            }
            if draft.fields != current.fields {
                // Other attributes: every contact's state differs, so the next full sync sends each again.
                try db.execute(sql: "UPDATE sync_contact_states SET synced_digest = NULL WHERE connection_id = ?", arguments: [id])
            }
            switch (current.enabled, change.enabled) {
            case (false, true?):
                guard try Bool.fetchOne(db, sql: "SELECT credentials IS NOT NULL FROM sync_connections WHERE id = ?", arguments: [id]) == true else {
                    throw DomainError.conflict(code: "connection_needs_credentials", message: "Connection \(id) has no credentials yet; give 'credentials' before enabling it.")
                }
                try Self.enable(connectionID: id, now: now, db)
            case (true, false?):
                try db.execute(sql: "UPDATE sync_connections SET enabled = 0 WHERE id = ?", arguments: [id])
            default:
                break
            }
            return try Self.connection(id: id, accountID: accountID, db)
        }
    }

    public func connection(id: Int64, accountID: Int64, agencyID: Int64) async throws -> SyncConnection {
        try quickRead { db in
            try Self.requireAgencyAccount(accountID: accountID, agencyID: agencyID, db)
            return try Self.connection(id: id, accountID: accountID, db)
        }
    }

    public func connections(accountID: Int64, agencyID: Int64) async throws -> [SyncConnection] {
        try quickRead { db in
            try Self.requireAgencyAccount(accountID: accountID, agencyID: agencyID, db)
            return try Row.fetchAll(db, sql: Self.connectionSelect + " WHERE account_id = ? ORDER BY id", arguments: [accountID]).map { try Self.connection(from: $0, db) }
        }
    }

    /// Deletes the connection with its queue, states, summaries and usage.
    public func deleteConnection(id: Int64, accountID: Int64, agencyID: Int64) async throws {
        try await writer.write { db in
            try Self.requireAgencyAccount(accountID: accountID, agencyID: agencyID, db)
            try db.execute(sql: "DELETE FROM sync_connections WHERE id = ? AND account_id = ?", arguments: [id, accountID])
            if db.changesCount == 0 { throw DomainError.notFound(what: "Connection \(id)") }
        }
    }

    /// The sealed credentials and inbound secret of a connection (any account: the caller has checked).
    public func connectionSecrets(id: Int64) async throws -> SealedConnectionSecrets {
        try quickRead { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT credentials, inbound_secret FROM sync_connections WHERE id = ?", arguments: [id]) else {
                throw DomainError.notFound(what: "Connection \(id)")
            }
            return SealedConnectionSecrets(credentials: (row[0] as Data?).map(Array.init), inboundSecret: (row[1] as Data?).map(Array.init))
        }
    }

    /// A connection by id alone, for the inbound endpoint (which has no account in its path).
    public func connection(id: Int64) async throws -> SyncConnection {
        try quickRead { db in
            guard let row = try Row.fetchOne(db, sql: Self.connectionSelect + " WHERE id = ?", arguments: [id]) else { throw DomainError.notFound(what: "Connection \(id)") }
            return try Self.connection(from: row, db)
        }
    }

    // MARK: - Helpers

    static func requireAgencyAccount(accountID: Int64, agencyID: Int64, _ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM accounts WHERE id = ? AND agency_id = ?", arguments: [accountID, agencyID]) == true else {
            throw DomainError.notFound(what: "Account \(accountID)")
        }
    }

    /// Every mapped list and custom field exists in the account, named in the refusal.
    static func checkMapping(_ draft: SyncConnectionDraft, accountID: Int64, _ db: Database) throws {
        for (index, pair) in draft.lists.enumerated()
        where try Bool.fetchOne(db, sql: "SELECT 1 FROM assets WHERE account_id = ? AND kind = 'list' AND id = ?", arguments: [accountID, pair.listID]) != true {
            throw DomainError.invalid(field: "lists[\(index)].list_id", message: "List \(pair.listID) does not exist in account \(accountID).")
        }
        for (index, pair) in draft.fields.enumerated() {
            guard let fieldID = pair.customFieldID else { continue }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM assets WHERE account_id = ? AND kind = 'field' AND id = ?", arguments: [accountID, fieldID]) != true {
                throw DomainError.invalid(field: "fields[\(index)].field", message: "Custom field \(fieldID) does not exist in account \(accountID).")
            }
        }
    }

    static func writeListMappings(connectionID: Int64, accountID: Int64, _ lists: [SyncListPair], _ db: Database) throws {
        for pair in lists {
            try db.execute(
                sql: "INSERT INTO sync_list_mappings (connection_id, account_id, list_id, remote_list) VALUES (?, ?, ?, ?)",
                arguments: [connectionID, accountID, pair.listID, pair.remoteList]
            )
        }
    }

    /// Switches the connection on and queues every contact on one of its lists, or known to it.
    static func enable(connectionID: Int64, now: String, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE sync_connections SET enabled = 1, paused_until = NULL, failures_in_row = 0, last_error = NULL, last_full_sync_at = ? WHERE id = ?",
            arguments: [now, connectionID]
        )
        try db.execute(
            sql: """
                INSERT INTO sync_outbox (connection_id, contact_id, created_at)
                SELECT ?, contact_id, ? FROM (
                    SELECT DISTINCT l.contact_id FROM sync_list_mappings m
                    JOIN contact_lists l ON l.account_id = m.account_id AND l.list_id = m.list_id
                    WHERE m.connection_id = ?
                    UNION SELECT contact_id FROM sync_contact_states WHERE connection_id = ?
                    ORDER BY 1
                )
                """,
            arguments: [connectionID, now, connectionID, connectionID]
        )
    }

    static let connectionSelect = """
        SELECT id, account_id, name, provider, direction, endpoint, fields, interval_minutes, daily_budget, enabled,
               credentials IS NOT NULL, paused_until, last_error, last_full_sync_at, created_at, updated_at
        FROM sync_connections
        """

    static func connection(id: Int64, accountID: Int64, _ db: Database) throws -> SyncConnection {
        guard let row = try Row.fetchOne(db, sql: connectionSelect + " WHERE id = ? AND account_id = ?", arguments: [id, accountID]) else {
            throw DomainError.notFound(what: "Connection \(id)")
        }
        return try connection(from: row, db)
    }

    static func connection(from row: Row, _ db: Database) throws -> SyncConnection {
        let id: Int64 = row[0]
        let lists = try Row.fetchAll(db, sql: "SELECT list_id, remote_list FROM sync_list_mappings WHERE connection_id = ? ORDER BY list_id", arguments: [id])
            .map { SyncListPair(listID: $0[0], remoteList: $0[1]) }
        return SyncConnection(
            id: id, accountID: row[1], name: row[2], provider: SyncProvider(rawValue: row[3]) ?? .webhook,
            direction: SyncDirection(rawValue: row[4]) ?? .outbound, endpoint: row[5], lists: lists,
            fields: try JSONText.decode(row[6] as String), intervalMinutes: row[7], dailyBudget: row[8], enabled: row[9],
            hasCredentials: row[10], pausedUntil: row[11], lastError: row[12], lastFullSyncAt: row[13], createdAt: row[14], updatedAt: row[15]
        )
    }
}
