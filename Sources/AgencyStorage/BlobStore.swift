import AgencyDomain
import Foundation
import GRDB

/// Finds or stores the snapshot form of an asset body: once per agency and distinct sandbox body,
/// so an asset unchanged since the last snapshot costs one index lookup and no work.
struct BlobStore {
    struct Blob {
        var id: Int64
        var hash: [UInt8]
        var omitted: [StrippedSource]
    }

    /// An image stripped from a body, before it is tied to an asset id.
    struct StrippedSource: Codable {
        var location: String
        var source: String
    }

    let agencyID: Int64
    let accountID: Int64
    private let find: Statement
    private let insert: Statement
    private let insertReference: Statement
    private let references: Statement

    init(agencyID: Int64, accountID: Int64, _ db: Database) throws {
        self.agencyID = agencyID
        self.accountID = accountID
        find = try db.cachedStatement(sql: "SELECT id, hash, omitted FROM snapshot_blobs WHERE agency_id = ? AND source_hash = ?")
        insert = try db.cachedStatement(sql: """
            INSERT INTO snapshot_blobs (agency_id, source_hash, hash, kind, name, unique_key, body, inert_body, omitted)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertReference = try db.cachedStatement(sql: "INSERT INTO snapshot_blob_references (blob_id, pointer, to_kind, to_id) VALUES (?, ?, ?, ?)")
        references = try db.cachedStatement(sql: "SELECT pointer, to_kind, to_id FROM account_references WHERE account_id = ? AND from_kind = ? AND from_id = ?")
    }

    /// The blob for the sandbox's asset `kind`/`id` whose stored body is `body`.
    mutating func blob(kind: AssetKind, id: Int64, name: String, uniqueKey: String?, body: String, _ db: Database) throws -> Blob {
        let sourceHash = SnapshotDigest.hash(kind: kind.rawValue, body: body)
        if let row = try Row.fetchOne(find, arguments: [agencyID, Data(sourceHash)]) {
            return Blob(id: row["id"], hash: [UInt8](row["hash"] as Data), omitted: try JSONText.decode(row["omitted"]))
        }
        var stored = body
        var omitted: [StrippedSource] = []
        // Only bodies that hold HTML can hold images; the rest are kept as they are, unparsed.
        if body.containsUTF8(#""html""#) {
            let stripped = try SnapshotImages.strip(canonicalBody: body, kind: kind, id: id)
            stored = stripped.text
            omitted = stripped.omitted.map { StrippedSource(location: $0.location, source: $0.source) }
        }
        let inert = try InertBody.of(kind: kind, canonicalBody: stored)
        let hash = stored == body ? sourceHash : SnapshotDigest.hash(kind: kind.rawValue, body: stored)
        try insert.execute(arguments: [
            agencyID, Data(sourceHash), Data(hash), kind.rawValue, name, uniqueKey, stored, inert, try JSONText.encode(omitted),
        ])
        let blobID = db.lastInsertedRowID
        // References live in the body's ids, which stripping never touches: the sandbox's index holds them.
        let rows = try Row.fetchAll(references, arguments: [accountID, kind.rawValue, id])
        for row in rows {
            try insertReference.execute(arguments: [blobID, row["pointer"], row["to_kind"], row["to_id"]])
        }
        return Blob(id: blobID, hash: hash, omitted: omitted)
    }
}

extension String {
    /// Whether the UTF-8 bytes contain `needle`, searched in place (no copy, no Unicode rules).
    func containsUTF8(_ needle: String) -> Bool {
        var text = self
        var needle = needle
        return text.withUTF8 { haystack in
            needle.withUTF8 { pattern in
                guard let first = pattern.first, pattern.count <= haystack.count else { return pattern.isEmpty }
                for start in 0...(haystack.count - pattern.count) where haystack[start] == first {
                    if memcmp(haystack.baseAddress! + start, pattern.baseAddress!, pattern.count) == 0 { return true }
                }
                return false
            }
        }
    }
}
