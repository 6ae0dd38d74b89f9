import AgencyDomain
import GRDB

/// A snapshot blob as updates, drift and diffs read it.
struct BaseBlob {
    var id: Int64
    var kind: AssetKind
    var name: String
    var uniqueKey: String?
    var body: String
    var inertBody: String?
    var omitted: String

    /// The body in the form an account got it: inert (automation inactive, campaign a draft) or not.
    func text(inert: Bool) -> String { inert ? (inertBody ?? body) : body }

    func object(inert: Bool) throws -> [String: JSONValue] {
        try JSONValue.parse(text(inert: inert)).objectValue ?? [:]
    }

    func omittedImages(accountID id: Int64) throws -> [OmittedImage] {
        guard omitted != "[]" else { return [] }
        return try (JSONValue.parse(omitted).arrayValue ?? []).map {
            OmittedImage(
                assetKind: kind.rawValue, assetID: String(id),
                location: $0.objectValue?["location"]?.stringValue ?? "", source: $0.objectValue?["source"]?.stringValue ?? ""
            )
        }
    }

    /// Blobs read once per update or drift, by id.
    struct Cache {
        private var blobs: [Int64: BaseBlob] = [:]

        mutating func blob(_ id: Int64, _ db: Database) throws -> BaseBlob {
            if let blob = blobs[id] { return blob }
            let statement = try db.cachedStatement(sql: "SELECT id, kind, name, unique_key, body, inert_body, omitted FROM snapshot_blobs WHERE id = ?")
            guard let row = try Row.fetchOne(statement, arguments: [id]) else { throw DomainError.notFound(what: "Snapshot body \(id)") }
            let blob = BaseBlob(
                id: row["id"], kind: AssetKind(rawValue: row["kind"])!, name: row["name"], uniqueKey: row["unique_key"],
                body: row["body"], inertBody: row["inert_body"], omitted: row["omitted"]
            )
            blobs[id] = blob
            return blob
        }
    }
}
