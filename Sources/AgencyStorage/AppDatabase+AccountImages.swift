import AgencyDomain
import GRDB

extension AppDatabase {
    /// The images an account still has to upload: those its snapshot left out of the assets it holds,
    /// read from each asset's own base (the snapshot body it was made from or last updated to), which
    /// the account keeps alive. The list therefore belongs to the account: deleting the snapshot it
    /// came from changes nothing in it. An asset the client deleted has nothing left to upload;
    /// one that arrived with an update lists its images under its id in the account.
    public func omittedImages(accountID: Int64) async throws -> [OmittedImage] {
        try await writer.read { db in
            var cache = BaseBlob.Cache()
            var images: [OmittedImage] = []
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.base_blob FROM assets a JOIN snapshot_blobs b ON b.id = a.base_blob
                    WHERE a.account_id = ? AND b.omitted <> '[]' ORDER BY a.kind, a.id
                    """,
                arguments: [accountID]
            )
            for row in rows {
                images += try cache.blob(row[1], db).omittedImages(accountID: row[0])
            }
            return images
        }
    }
}
