import AgencyDomain
import Foundation
import GRDB

extension AppDatabase {
    /// Keeps the sandbox's connections in the snapshot: name, provider, direction, endpoint, list and
    /// field mapping, interval and budget. Credentials and secrets stay behind.
    static func captureConnections(accountID: Int64, snapshotID: Int64, _ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: connectionSelect + " WHERE account_id = ? ORDER BY id", arguments: [accountID])
        for (position, row) in rows.enumerated() {
            let connection = try connection(from: row, db)
            try db.execute(
                sql: """
                    INSERT INTO snapshot_connections (snapshot_id, position, name, provider, direction, endpoint, lists, fields, interval_minutes, daily_budget)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    snapshotID, position, connection.name, connection.provider.rawValue, connection.direction.rawValue, connection.endpoint,
                    try JSONText.encode(connection.lists), try JSONText.encode(connection.fields), connection.intervalMinutes, connection.dailyBudget,
                ]
            )
        }
    }

    /// Gives a provisioned account the snapshot's connections, each disabled and without credentials
    /// (the schema refuses enabling one without them). Lists and fields keep their ids in the copy, so
    /// the mapping holds as it was.
    static func provisionConnections(snapshotID: Int64, accountID: Int64, now: String, _ db: Database) throws {
        let rows = try Row.fetchAll(
            db, sql: "SELECT name, provider, direction, endpoint, lists, fields, interval_minutes, daily_budget FROM snapshot_connections WHERE snapshot_id = ? ORDER BY position",
            arguments: [snapshotID]
        )
        for row in rows {
            try db.execute(
                sql: """
                    INSERT INTO sync_connections (account_id, name, provider, direction, endpoint, fields, interval_minutes, daily_budget, enabled, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
                    """,
                arguments: [accountID, row[0], row[1], row[2], row[3], row[5] as String, row[6], row[7], now, now]
            )
            let connectionID = db.lastInsertedRowID
            let lists: [SyncListPair] = try JSONText.decode(row[4])
            try writeListMappings(connectionID: connectionID, accountID: accountID, lists, db)
        }
    }
}
