import AgencyDomain
import Foundation
import GRDB

/// One account's outcome in a push of a snapshot to many accounts.
public struct PushOutcome: Sendable {
    public enum Status: String, Sendable { case updated, previewed, upToDate = "up_to_date", skipped, failed }

    public var accountID: Int64
    public var status: Status
    public var report: UpdateReport?
    public var error: DomainError?
}

/// An update in an account's history.
public struct AccountUpdateRecord: Equatable, Sendable {
    public var id: Int64
    public var fromSnapshotID: Int64
    public var toSnapshotID: Int64
    public var fromDigest: String
    public var toDigest: String
    public var policy: String
    public var counts: [String: Int]
    public var createdAt: String
}

extension AppDatabase {
    /// Merges snapshot `options.snapshotID` into a client account made from an earlier snapshot of
    /// the same sandbox, in one transaction; a dry run does the same work and rolls it back. With an
    /// idempotency key, a retry of the same request gets the first report and changes nothing.
    public func updateAccount(
        id accountID: Int64, agencyID: Int64, options: UpdateOptions, idempotency: (key: String, requestDigest: [UInt8])? = nil
    ) async throws -> UpdateReport {
        try await updateAccountOrReplay(id: accountID, agencyID: agencyID, options: options, idempotency: idempotency).report
    }

    /// The same, saying whether the report is the stored one of an earlier request with the key.
    public func updateAccountOrReplay(
        id accountID: Int64, agencyID: Int64, options: UpdateOptions, idempotency: (key: String, requestDigest: [UInt8])?
    ) async throws -> (report: UpdateReport, replayed: Bool) {
        try await writer.writeWithoutTransaction { db in
            var report: UpdateReport?
            var replayed = false
            try db.inTransaction {
                if let idempotency, let earlier = try Self.earlierUpdate(agencyID: agencyID, idempotency: idempotency, db) {
                    (report, replayed) = (earlier, true)
                    return .commit
                }
                report = try Self.update(accountID: accountID, agencyID: agencyID, options: options, db)
                if options.dryRun { return .rollback }
                if let idempotency, let report {
                    try db.execute(
                        sql: "INSERT INTO update_idempotency_keys (agency_id, key, request_digest, reply, created_at) VALUES (?, ?, ?, ?, ?)",
                        arguments: [agencyID, idempotency.key, Data(idempotency.requestDigest), try JSONText.encode(report), Timestamp.now()]
                    )
                }
                return .commit
            }
            return (report!, replayed)
        }
    }

    /// Updates each chosen account (all of the agency's accounts whose base is an earlier snapshot of
    /// the same sandbox, when `accountIDs` is nil) in a transaction of its own: one failing does not
    /// stop the others. `progress` hears about each account as it is done.
    public func push(
        snapshotID: Int64, agencyID: Int64, accountIDs: [Int64]?, options: UpdateOptions,
        progress: @Sendable (PushOutcome) -> Void = { _ in }
    ) async throws -> [PushOutcome] {
        let candidates = try await accountsBehind(snapshotID: snapshotID, agencyID: agencyID)
        var outcomes: [PushOutcome] = []
        let eligible = Set(candidates)
        for accountID in accountIDs ?? candidates {
            var outcome: PushOutcome
            if accountIDs != nil, !eligible.contains(accountID) {
                let reason = try await whyNotUpdatable(accountID: accountID, agencyID: agencyID, snapshotID: snapshotID)
                outcome = PushOutcome(accountID: accountID, status: reason.code == "already_current" ? .upToDate : .skipped, error: reason)
            } else {
                do {
                    let report = try await updateAccount(id: accountID, agencyID: agencyID, options: options)
                    outcome = PushOutcome(accountID: accountID, status: options.dryRun ? .previewed : .updated, report: report)
                } catch let error as DomainError {
                    outcome = PushOutcome(accountID: accountID, status: .failed, error: error)
                } catch {
                    outcome = PushOutcome(accountID: accountID, status: .failed, error: .conflict(code: "update_failed", message: "The update failed: \(error)."))
                }
            }
            progress(outcome)
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// The agency's accounts whose base is an earlier snapshot of the same sandbox: what a push of
    /// this snapshot to "all" updates.
    public func accountsBehind(snapshotID: Int64, agencyID: Int64) async throws -> [Int64] {
        try await writer.read { db in
            guard let lineageID = try Int64.fetchOne(db, sql: "SELECT lineage_id FROM snapshots WHERE id = ? AND agency_id = ?", arguments: [snapshotID, agencyID]) else {
                throw DomainError.notFound(what: "Snapshot \(snapshotID)")
            }
            return try Int64.fetchAll(
                db,
                sql: """
                    SELECT a.id FROM accounts a JOIN account_sources s ON s.account_id = a.id
                    WHERE a.agency_id = ? AND s.lineage_id = ? AND s.snapshot_id < ? ORDER BY a.id
                    """,
                arguments: [agencyID, lineageID, snapshotID]
            )
        }
    }

    /// Why an account chosen for a push is not updated.
    func whyNotUpdatable(accountID: Int64, agencyID: Int64, snapshotID: Int64) async throws -> DomainError {
        try await writer.read { db in
            do {
                let source = try Self.updateSource(accountID: accountID, agencyID: agencyID, db)
                _ = try Self.updateTarget(snapshotID: snapshotID, agencyID: agencyID, source: source, db)
                return .conflict(code: "already_current", message: "Account \(accountID) is already at snapshot \(source.snapshotID).")
            } catch let error as DomainError {
                return error
            }
        }
    }

    /// The account's updates, newest first.
    public func updateHistory(accountID: Int64, agencyID: Int64) async throws -> [AccountUpdateRecord] {
        try quickRead { db in
            _ = try Self.account(id: accountID, agencyID: agencyID, db)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT id, from_snapshot_id, to_snapshot_id, from_digest, to_digest, policy, counts, created_at
                    FROM account_updates WHERE account_id = ? ORDER BY id DESC
                    """,
                arguments: [accountID]
            ).map { row in
                AccountUpdateRecord(
                    id: row["id"], fromSnapshotID: row["from_snapshot_id"], toSnapshotID: row["to_snapshot_id"], fromDigest: row["from_digest"],
                    toDigest: row["to_digest"], policy: row["policy"], counts: try JSONText.decode(row["counts"]), createdAt: row["created_at"]
                )
            }
        }
    }

    // MARK: - Inside the transaction

    struct UpdateSource {
        var snapshotID: Int64
        var digest: String
        var lineageID: Int64
    }

    struct UpdateTarget {
        var name: String
        var digest: String
    }

    static func updateSource(accountID: Int64, agencyID: Int64, _ db: Database) throws -> UpdateSource {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM accounts WHERE id = ? AND agency_id = ?", arguments: [accountID, agencyID]) != nil else {
            throw DomainError.notFound(what: "Account \(accountID)")
        }
        guard let row = try Row.fetchOne(db, sql: "SELECT snapshot_id, digest, lineage_id FROM account_sources WHERE account_id = ?", arguments: [accountID]) else {
            throw DomainError.conflict(code: "not_from_snapshot", message: "Account \(accountID) was not made from a snapshot, so there is nothing to update it from.")
        }
        guard let lineageID: Int64 = row["lineage_id"] else {
            throw DomainError.conflict(
                code: "base_unknown",
                message: "Account \(accountID)'s snapshot was deleted before this version kept track of its sandbox; it cannot be updated."
            )
        }
        return UpdateSource(snapshotID: row["snapshot_id"], digest: row["digest"], lineageID: lineageID)
    }

    static func updateTarget(snapshotID: Int64, agencyID: Int64, source: UpdateSource, _ db: Database) throws -> UpdateTarget {
        guard let row = try Row.fetchOne(db, sql: "SELECT lineage_id, name, digest FROM snapshots WHERE id = ? AND agency_id = ?", arguments: [snapshotID, agencyID]) else {
            throw DomainError.notFound(what: "Snapshot \(snapshotID)")
        }
        guard (row["lineage_id"] as Int64) == source.lineageID else {
            throw DomainError.conflict(
                code: "snapshot_of_another_sandbox",
                message: "Snapshot \(snapshotID) is of another sandbox than the one this account was made from; an account only takes updates from its own sandbox."
            )
        }
        guard snapshotID >= source.snapshotID else {
            throw DomainError.conflict(
                code: "snapshot_not_newer",
                message: "Snapshot \(snapshotID) is older than the account's base, snapshot \(source.snapshotID); an update only moves an account forward."
            )
        }
        return UpdateTarget(name: row["name"], digest: row["digest"])
    }

    static func update(accountID: Int64, agencyID: Int64, options: UpdateOptions, _ db: Database) throws -> UpdateReport {
        let source = try updateSource(accountID: accountID, agencyID: agencyID, db)
        let target = try updateTarget(snapshotID: options.snapshotID, agencyID: agencyID, source: source, db)
        guard options.snapshotID > source.snapshotID else {
            return UpdateReport(accountID: accountID, fromSnapshotID: source.snapshotID, toSnapshotID: options.snapshotID, policy: options.policy, dryRun: options.dryRun)
        }
        var updater = try AccountUpdater(db: db, accountID: accountID, fromSnapshotID: source.snapshotID, lineageID: source.lineageID, options: options)
        var report = try updater.run()
        // With only some kinds taken, or a change held back, the account's base stays: the rest of the
        // change is still to come, and the next update reads it again (what was taken is skipped then).
        if options.kinds != nil || updater.heldBack {
            report.baseSnapshotID = source.snapshotID
        } else {
            try db.execute(
                sql: "UPDATE account_sources SET snapshot_id = ?, snapshot_name = ?, digest = ? WHERE account_id = ?",
                arguments: [options.snapshotID, target.name, target.digest, accountID]
            )
        }
        try db.execute(
            sql: """
                INSERT INTO account_updates (account_id, from_snapshot_id, to_snapshot_id, from_digest, to_digest, policy, counts, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                accountID, source.snapshotID, options.snapshotID, source.digest, target.digest, options.policy.rawValue,
                try JSONText.encode(report.counts), Timestamp.now(),
            ]
        )
        try deleteUnsharedBlobs(among: updater.released, db)
        return report
    }

    static func earlierUpdate(agencyID: Int64, idempotency: (key: String, requestDigest: [UInt8]), _ db: Database) throws -> UpdateReport? {
        let cutoff = Timestamp.string(from: Date().addingTimeInterval(-idempotencyWindow))
        try db.execute(sql: "DELETE FROM update_idempotency_keys WHERE agency_id = ? AND created_at < ?", arguments: [agencyID, cutoff])
        guard let row = try Row.fetchOne(
            db, sql: "SELECT request_digest, reply FROM update_idempotency_keys WHERE agency_id = ? AND key = ?", arguments: [agencyID, idempotency.key]
        ) else { return nil }
        guard Secrets.constantTimeEquals([UInt8](row["request_digest"] as Data), idempotency.requestDigest) else {
            throw DomainError.unprocessable(
                code: "idempotency_key_reused",
                message: "This Idempotency-Key was already used with a different request; use a new key for a new request."
            )
        }
        return try JSONText.decode(row["reply"]) as UpdateReport
    }
}
