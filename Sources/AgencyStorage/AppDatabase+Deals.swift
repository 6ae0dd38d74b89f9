import AgencyDomain
import GRDB

extension AppDatabase {
    public func createDeal(accountID: Int64, _ deal: Deal) async throws -> Deal {
        try await writer.write { db in
            try Self.checkDealReferences(deal, accountID: accountID, db)
            let id = try db.nextID("deal", in: accountID)
            let now = Timestamp.now()
            try db.execute(
                sql: """
                    INSERT INTO deals (account_id, id, title, description, value, currency, contact_id, stage_id, status, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [accountID, id, deal.title, deal.description, deal.value, deal.currency, deal.contactID, deal.stageID, deal.status, now, now]
            )
            return try Self.deal(accountID: accountID, id: id, db)
        }
    }

    public func updateDeal(accountID: Int64, id: Int64, _ deal: Deal) async throws -> Deal {
        try await writer.write { db in
            try Self.checkDealReferences(deal, accountID: accountID, db)
            try db.execute(
                sql: """
                    UPDATE deals SET title = ?, description = ?, value = ?, currency = ?, contact_id = ?, stage_id = ?, status = ?, updated_at = ?
                    WHERE account_id = ? AND id = ?
                    """,
                arguments: [deal.title, deal.description, deal.value, deal.currency, deal.contactID, deal.stageID, deal.status, Timestamp.now(), accountID, id]
            )
            if db.changesCount == 0 { throw DomainError.notFound(what: "deal \(id)") }
            return try Self.deal(accountID: accountID, id: id, db)
        }
    }

    public func deal(accountID: Int64, id: Int64) async throws -> Deal {
        try quickRead { db in try Self.deal(accountID: accountID, id: id, db) }
    }

    /// Deals, optionally in one stage (v3's `filters[stage]`).
    public func deals(accountID: Int64, stageID: Int64?, page: Page) async throws -> (deals: [Deal], total: Int) {
        try quickRead { db in
            let filter = stageID == nil ? "" : " AND d.stage_id = :stage"
            let arguments: StatementArguments = ["account": accountID, "stage": stageID, "limit": page.limit, "offset": page.offset]
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM deals d WHERE d.account_id = :account" + filter, arguments: arguments)!
            let rows = try Row.fetchAll(db, sql: Self.dealSelect + " WHERE d.account_id = :account" + filter + " ORDER BY d.id LIMIT :limit OFFSET :offset", arguments: arguments)
            return (rows.map(Self.deal(from:)), total)
        }
    }

    public func deleteDeal(accountID: Int64, id: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM deals WHERE account_id = ? AND id = ?", arguments: [accountID, id])
            if db.changesCount == 0 { throw DomainError.notFound(what: "deal \(id)") }
        }
    }

    static func checkDealReferences(_ deal: Deal, accountID: Int64, _ db: Database) throws {
        try requireAsset(accountID: accountID, kind: .dealStage, id: deal.stageID, field: "deal.stage", db)
        if let contactID = deal.contactID { try requireContact(accountID: accountID, id: contactID, field: "deal.contact", db) }
    }

    /// The pipeline comes from the stage, so a deal can never sit in a stage of another pipeline.
    static let dealSelect = """
        SELECT d.id, d.title, d.description, d.value, d.currency, d.contact_id, d.stage_id, d.status, d.created_at, d.updated_at,
               CAST(json_extract(\(body(ofAsset: "s")), '$.group') AS INTEGER) AS group_id
        FROM deals d LEFT JOIN assets s ON s.account_id = d.account_id AND s.kind = 'dealStage' AND s.id = d.stage_id
        """

    static func deal(accountID: Int64, id: Int64, _ db: Database) throws -> Deal {
        guard let row = try Row.fetchOne(db, sql: dealSelect + " WHERE d.account_id = ? AND d.id = ?", arguments: [accountID, id]) else {
            throw DomainError.notFound(what: "deal \(id)")
        }
        return deal(from: row)
    }

    static func deal(from row: Row) -> Deal {
        var deal = Deal(
            id: row["id"], title: row["title"], description: row["description"], value: row["value"], currency: row["currency"],
            contactID: row["contact_id"], stageID: row["stage_id"], status: row["status"]
        )
        deal.groupID = row["group_id"]
        deal.createdAt = row["created_at"]
        deal.updatedAt = row["updated_at"]
        return deal
    }
}
