import AgencyDomain
import Foundation
import GRDB

/// Filters for listing snapshots.
public struct SnapshotQuery: Sendable {
    public var name: String?
    public var sandboxID: Int64?
    public var page: Page

    public init(name: String? = nil, sandboxID: Int64? = nil, page: Page = Page()) {
        self.name = name
        self.sandboxID = sandboxID
        self.page = page
    }
}

extension AppDatabase {
    /// Takes a snapshot of a sandbox, in one transaction: its assets (images stripped and listed),
    /// and its contacts and deals when `includes` asks. Only new asset bodies and changed versions
    /// are written; see `0003_snapshots.sql`.
    public func createSnapshot(agencyID: Int64, sandboxID: Int64, name: String, includes: [SnapshotInclude]) async throws -> Snapshot {
        try await writer.write { db in
            let sandbox = try Self.account(id: sandboxID, agencyID: agencyID, db)
            guard sandbox.kind == .sandbox else {
                throw DomainError.conflict(
                    code: "not_a_sandbox",
                    message: "Only a sandbox can be snapshotted; account \(sandboxID) is a \(sandbox.kind.rawValue) account."
                )
            }
            var store = try BlobStore(agencyID: agencyID, accountID: sandboxID, db)
            var manifest: [AssetKey: Int64] = [:]
            var entries: [SnapshotDigest.Entry] = []
            var omittedCount = 0
            var contents = Dictionary(uniqueKeysWithValues: AssetKind.allCases.map { ($0.spec.path, 0) })
            let rows = try Row.fetchCursor(
                db, sql: "SELECT a.kind, a.id, a.name, a.unique_key, \(Self.assetBody) AS body FROM assets a WHERE a.account_id = ? ORDER BY a.kind, a.id",
                arguments: [sandboxID]
            )
            while let row = try rows.next() {
                let kind = AssetKind(rawValue: row["kind"])!
                let id: Int64 = row["id"]
                let blob = try store.blob(kind: kind, id: id, name: row["name"], uniqueKey: row["unique_key"], body: row["body"], db)
                manifest[AssetKey(kind: kind.rawValue, id: id)] = blob.id
                entries.append(SnapshotDigest.Entry(kind: kind.rawValue, id: id, hash: blob.hash))
                omittedCount += blob.omitted.count
                contents[kind.spec.path, default: 0] += 1
            }
            let records = try SnapshotRecords.read(accountID: sandboxID, includes: includes, db)
            for record in records {
                entries.append(SnapshotDigest.Entry(kind: record.kind.rawValue, id: record.id, body: record.body))
                contents[record.kind.rawValue, default: 0] += 1
            }

            let lineageID = try Self.lineage(accountID: sandboxID, agencyID: agencyID, db)
            try db.execute(
                sql: """
                    INSERT INTO snapshots (agency_id, lineage_id, source_account_id, name, includes, contents, omitted_count, digest, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    agencyID, lineageID, sandboxID, name, try JSONText.encode(includes), try JSONText.encode(contents),
                    omittedCount, SnapshotDigest.of(entries), Timestamp.now(),
                ]
            )
            let snapshotID = db.lastInsertedRowID
            try Self.writeVersions(manifest, lineageID: lineageID, snapshotID: snapshotID, db)
            try SnapshotRecords.write(records, snapshotID: snapshotID, db)
            try Self.captureConnections(accountID: sandboxID, snapshotID: snapshotID, db)
            return try Self.snapshot(id: snapshotID, agencyID: agencyID, db)
        }
    }

    /// The agency's snapshots, newest first.
    public func snapshots(agencyID: Int64, query: SnapshotQuery) async throws -> (snapshots: [Snapshot], total: Int) {
        try quickRead { db in
            var filter = " WHERE agency_id = :agency"
            if query.name != nil { filter += " AND name LIKE '%' || :name || '%'" }
            if query.sandboxID != nil { filter += " AND source_account_id = :sandbox" }
            let arguments: StatementArguments = [
                "agency": agencyID, "name": query.name, "sandbox": query.sandboxID, "limit": query.page.limit, "offset": query.page.offset,
            ]
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM snapshots" + filter, arguments: arguments)!
            let rows = try Row.fetchAll(db, sql: Self.snapshotSelect + filter + " ORDER BY id DESC LIMIT :limit OFFSET :offset", arguments: arguments)
            return (try rows.map { try Self.snapshot(from: $0, db, withManifest: false) }, total)
        }
    }

    /// One snapshot of the agency; another agency's snapshot is not found, like a missing one.
    public func snapshot(id: Int64, agencyID: Int64) async throws -> Snapshot {
        try quickRead { db in try Self.snapshot(id: id, agencyID: agencyID, db) }
    }

    /// Deletes a snapshot for good, with every version and body no other snapshot still holds.
    /// Accounts made from it keep their provenance: it is copied, not linked.
    public func deleteSnapshot(id: Int64, agencyID: Int64) async throws {
        try await writer.write { db in
            guard let lineageID = try Int64.fetchOne(db, sql: "SELECT lineage_id FROM snapshots WHERE id = ? AND agency_id = ?", arguments: [id, agencyID]) else {
                throw DomainError.notFound(what: "Snapshot \(id)")
            }
            try db.execute(sql: "DELETE FROM snapshots WHERE id = ?", arguments: [id])
            try db.execute(
                sql: """
                    DELETE FROM snapshot_versions AS v
                    WHERE v.lineage_id = :lineage AND NOT EXISTS (
                        SELECT 1 FROM snapshots s
                        WHERE s.lineage_id = :lineage AND s.id >= v.since
                          AND s.id < coalesce((SELECT min(w.since) FROM snapshot_versions w
                                               WHERE w.lineage_id = :lineage AND w.kind = v.kind
                                                 AND w.id = v.id AND w.since > v.since), 9223372036854775807))
                    """,
                arguments: ["lineage": lineageID]
            )
            try Self.deleteUnusedBlobs(agencyID: agencyID, db)
        }
    }

    /// Removes the agency's blobs that no snapshot holds and no account shares any longer.
    static func deleteUnusedBlobs(agencyID: Int64, _ db: Database) throws {
        try db.execute(
            sql: """
                DELETE FROM snapshot_blobs
                WHERE agency_id = ? AND NOT EXISTS (SELECT 1 FROM snapshot_versions v WHERE v.blob_id = snapshot_blobs.id)
                  AND NOT EXISTS (SELECT 1 FROM snapshot_blob_shares s WHERE s.blob_id = snapshot_blobs.id AND s.assets > 0)
                """,
            arguments: [agencyID]
        )
    }

    /// Removes blobs that were only an account's base and no longer are (after an account was
    /// deleted or updated): only blobs whose count fell to zero are looked at.
    static func deleteUnsharedBlobs(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM snapshot_blobs
            WHERE id IN (SELECT blob_id FROM snapshot_blob_shares WHERE assets = 0)
              AND NOT EXISTS (SELECT 1 FROM snapshot_versions v WHERE v.blob_id = snapshot_blobs.id)
            """)
    }

    /// The same, looking only at `candidates` (the bases an update replaced).
    static func deleteUnsharedBlobs(among candidates: Set<Int64>, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            DELETE FROM snapshot_blobs
            WHERE id = ? AND NOT EXISTS (SELECT 1 FROM snapshot_blob_shares s WHERE s.blob_id = snapshot_blobs.id AND s.assets > 0)
              AND NOT EXISTS (SELECT 1 FROM snapshot_versions v WHERE v.blob_id = snapshot_blobs.id)
            """)
        for blob in candidates { try statement.execute(arguments: [blob]) }
    }

    /// Recomputes every stored body's hash and the snapshot's digest from what is stored.
    public func verifySnapshot(id: Int64, agencyID: Int64) async throws -> SnapshotCheck {
        try await writer.read { db in
            // The recorded digest and lineage only: the omitted-image manifest is not needed here.
            guard let snapshot = try Row.fetchOne(db, sql: "SELECT lineage_id, digest FROM snapshots WHERE id = ? AND agency_id = ?", arguments: [id, agencyID]) else {
                throw DomainError.notFound(what: "Snapshot \(id)")
            }
            let (lineageID, recordedDigest): (Int64, String) = (snapshot["lineage_id"], snapshot["digest"])
            var entries: [SnapshotDigest.Entry] = []
            var problems: [String] = []
            let rows = try Row.fetchCursor(
                db,
                sql: Self.visibleVersions + " SELECT v.kind, v.id, b.hash, b.body FROM visible v JOIN snapshot_blobs b ON b.id = v.blob_id",
                arguments: ["lineage": lineageID, "snapshot": id]
            )
            while let row = try rows.next() {
                let entry = SnapshotDigest.Entry(kind: row["kind"], id: row["id"], body: row["body"])
                if entry.hash != [UInt8](row["hash"] as Data) { problems.append("\(entry.kind) \(entry.id): its body does not match its hash") }
                entries.append(entry)
            }
            for record in try SnapshotRecords.stored(snapshotID: id, db) {
                entries.append(SnapshotDigest.Entry(kind: record.kind.rawValue, id: record.id, body: record.body))
            }
            let digest = SnapshotDigest.of(entries)
            if digest != recordedDigest { problems.append("the contents hash to \(digest), not the recorded \(recordedDigest)") }
            return SnapshotCheck(snapshotID: id, expectedDigest: recordedDigest, actualDigest: digest, problems: problems)
        }
    }

    // MARK: - Storage details

    /// The versions snapshot `:snapshot` of lineage `:lineage` sees: per asset, the newest one at or
    /// before it, without the assets it saw removed. Ends in a CTE named `visible`.
    static let visibleVersions = """
        WITH visible AS (
            SELECT v.kind, v.id, v.blob_id FROM snapshot_versions v
            WHERE v.lineage_id = :lineage AND v.since <= :snapshot AND v.blob_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM snapshot_versions w
                              WHERE w.lineage_id = v.lineage_id AND w.kind = v.kind AND w.id = v.id
                                AND w.since > v.since AND w.since <= :snapshot))
        """

    /// Appends a version for every asset whose body differs from what the lineage's newest
    /// versions say, and a removal for every asset that is gone.
    static func writeVersions(_ manifest: [AssetKey: Int64], lineageID: Int64, snapshotID: Int64, _ db: Database) throws {
        var current: [AssetKey: Int64] = [:]
        let rows = try Row.fetchCursor(db, sql: visibleVersions + " SELECT kind, id, blob_id FROM visible", arguments: ["lineage": lineageID, "snapshot": snapshotID])
        while let row = try rows.next() { current[AssetKey(kind: row["kind"], id: row["id"])] = row["blob_id"] }
        let insert = try db.cachedStatement(sql: "INSERT INTO snapshot_versions (lineage_id, kind, id, since, blob_id) VALUES (?, ?, ?, ?, ?)")
        // In key order: the versions table is keyed by (lineage, kind, id, since), and ordered inserts fill its pages.
        for (key, blobID) in manifest.sorted(by: { ($0.key.kind, $0.key.id) < ($1.key.kind, $1.key.id) }) where current[key] != blobID {
            try insert.execute(arguments: [lineageID, key.kind, key.id, snapshotID, blobID])
        }
        for key in current.keys where manifest[key] == nil {
            try insert.execute(arguments: [lineageID, key.kind, key.id, snapshotID, nil])
        }
    }

    /// The sandbox's line of snapshots, started on its first snapshot.
    static func lineage(accountID: Int64, agencyID: Int64, _ db: Database) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM snapshot_lineages WHERE account_id = ?", arguments: [accountID]) {
            return id
        }
        try db.execute(sql: "INSERT INTO snapshot_lineages (agency_id, account_id) VALUES (?, ?)", arguments: [agencyID, accountID])
        return db.lastInsertedRowID
    }

    static let snapshotSelect = "SELECT id, agency_id, lineage_id, source_account_id, name, includes, contents, omitted_count, digest, created_at FROM snapshots"

    static func snapshot(id: Int64, agencyID: Int64, _ db: Database) throws -> Snapshot {
        guard let row = try Row.fetchOne(db, sql: snapshotSelect + " WHERE id = ? AND agency_id = ?", arguments: [id, agencyID]) else {
            throw DomainError.notFound(what: "Snapshot \(id)")
        }
        return try snapshot(from: row, db, withManifest: true)
    }

    static func snapshot(from row: Row, _ db: Database, withManifest: Bool) throws -> Snapshot {
        Snapshot(
            id: row["id"], agencyID: row["agency_id"], sourceAccountID: row["source_account_id"], name: row["name"],
            includes: try JSONText.decode(row["includes"]), contents: try JSONText.decode(row["contents"]),
            omitted: withManifest ? try omitted(snapshotID: row["id"], lineageID: row["lineage_id"], db) : [],
            omittedCount: row["omitted_count"], digest: row["digest"], createdAt: row["created_at"]
        )
    }

    /// The images a snapshot left out, from the lists its bodies carry, in (kind, id) order.
    static func omitted(snapshotID: Int64, lineageID: Int64, _ db: Database) throws -> [OmittedImage] {
        let rows = try Row.fetchAll(
            db,
            sql: visibleVersions + " SELECT v.kind, v.id, b.omitted FROM visible v JOIN snapshot_blobs b ON b.id = v.blob_id WHERE b.omitted <> '[]' ORDER BY v.kind, v.id",
            arguments: ["lineage": lineageID, "snapshot": snapshotID]
        )
        return try rows.flatMap { row in
            try (JSONText.decode(row["omitted"]) as [BlobStore.StrippedSource]).map {
                OmittedImage(assetKind: row["kind"], assetID: String(row["id"] as Int64), location: $0.location, source: $0.source)
            }
        }
    }
}

/// An asset's identity inside an account or a snapshot.
struct AssetKey: Hashable {
    var kind: String
    var id: Int64
}

/// What `verify` found about a snapshot.
public struct SnapshotCheck: Equatable, Sendable {
    public var snapshotID: Int64
    public var expectedDigest: String
    public var actualDigest: String
    public var problems: [String]
    public var ok: Bool { problems.isEmpty }
}

/// JSON columns in and out of Codable values.
enum JSONText {
    static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<Value: Decodable>(_ text: String) throws -> Value {
        try JSONDecoder().decode(Value.self, from: Data(text.utf8))
    }
}
