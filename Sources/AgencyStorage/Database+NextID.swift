import GRDB

extension Database {
    /// Hands out the next id of `kind` inside `accountID`. Ids are never reused, also after deletes.
    func nextID(_ kind: String, in accountID: Int64) throws -> Int64 {
        try Int64.fetchOne(
            self,
            sql: """
                INSERT INTO id_sequences (account_id, kind, last_id) VALUES (?, ?, 1)
                ON CONFLICT (account_id, kind) DO UPDATE SET last_id = last_id + 1
                RETURNING last_id
                """,
            arguments: [accountID, kind]
        ) ?? 0  // RETURNING always yields the row it wrote
    }
}
