import AgencyDomain
import GRDB

/// Contacts and deals as a snapshot keeps them: each row as JSON without its timestamps, read and
/// written by the same column lists, so a provisioned account can be compared with its snapshot.
struct SnapshotRecord {
    var kind: SnapshotRecordKind
    var id: Int64
    var body: String
}

enum SnapshotRecords {
    /// The account's records of every kind `includes` asks for. Deals keep their contact only
    /// when contacts come along.
    static func read(accountID: Int64, includes: [SnapshotInclude], _ db: Database) throws -> [SnapshotRecord] {
        try SnapshotRecordKind.allCases.filter { includes.contains($0.include) }.flatMap { kind in
            let keepContact = includes.contains(.contacts)
            return try Row.fetchAll(
                db, sql: "SELECT id, \(bodyExpression(kind, keepContact: keepContact)) AS body FROM \(table(kind)) WHERE account_id = :account\(withoutErased(kind)) ORDER BY id",
                arguments: ["account": accountID]
            )
                .map { SnapshotRecord(kind: kind, id: $0["id"], body: $0["body"]) }
        }
    }

    /// The records a snapshot holds.
    static func stored(snapshotID: Int64, _ db: Database) throws -> [SnapshotRecord] {
        try Row.fetchAll(db, sql: "SELECT kind, id, body FROM snapshot_records WHERE snapshot_id = ? ORDER BY kind, id", arguments: [snapshotID])
            .map { SnapshotRecord(kind: SnapshotRecordKind(rawValue: $0["kind"])!, id: $0["id"], body: $0["body"]) }
    }

    static func write(_ records: [SnapshotRecord], snapshotID: Int64, _ db: Database) throws {
        let insert = try db.cachedStatement(sql: "INSERT INTO snapshot_records (snapshot_id, kind, id, body) VALUES (?, ?, ?, ?)")
        for record in records { try insert.execute(arguments: [snapshotID, record.kind.rawValue, record.id, record.body]) }
    }

    /// Copies a snapshot's records into a new account as one set per table, ids unchanged.
    static func provision(snapshotID: Int64, accountID: Int64, now: String, _ db: Database) throws {
        for kind in SnapshotRecordKind.allCases {
            let columns = self.columns(kind)
            let values = columns.map { "json_extract(body, '$.\($0.key)')" }
            try db.execute(
                sql: """
                    INSERT INTO \(table(kind)) (account_id, id, \(columns.map(\.column).joined(separator: ", ")), \(timestampColumns(kind)))
                    SELECT :account, id, \(values.joined(separator: ", ")), \(timestampColumns(kind).split(separator: ",").map { _ in ":now" }.joined(separator: ", "))
                    FROM snapshot_records WHERE snapshot_id = :snapshot AND kind = :kind ORDER BY id
                    """,
                arguments: ["account": accountID, "snapshot": snapshotID, "kind": kind.rawValue, "now": now]
            )
            // A report's id is its campaign's or automation's: no id of its own to hand out.
            guard kind.include != .reports else { continue }
            try db.execute(
                sql: "INSERT INTO id_sequences (account_id, kind, last_id) SELECT ?, ?, max(id) FROM \(table(kind)) WHERE account_id = ? HAVING count(*) > 0",
                arguments: [accountID, sequence(kind), accountID]
            )
        }
    }

    static func table(_ kind: SnapshotRecordKind) -> String {
        switch kind {
        case .contacts: "contacts"
        case .contactTags: "contact_tags"
        case .contactLists: "contact_lists"
        case .fieldValues: "field_values"
        case .deals: "deals"
        case .automationReports: "automation_reports"
        case .campaignReports: "campaign_reports"
        }
    }

    /// The name under which the account's id_sequences count ids of this kind.
    static func sequence(_ kind: SnapshotRecordKind) -> String {
        switch kind {
        case .contacts: "contact"
        case .deals: "deal"
        default: table(kind)
        }
    }

    static func timestampColumns(_ kind: SnapshotRecordKind) -> String {
        kind == .contactTags ? "created_at" : "created_at, updated_at"
    }

    /// JSON key and column of each kept field, in a fixed order.
    static func columns(_ kind: SnapshotRecordKind) -> [(key: String, column: String)] {
        switch kind {
        case .contacts: [("email", "email"), ("firstName", "first_name"), ("lastName", "last_name"), ("phone", "phone")]
        case .contactTags: [("contact", "contact_id"), ("tag", "tag_id")]
        case .contactLists: [("contact", "contact_id"), ("list", "list_id"), ("status", "status")]
        case .fieldValues: [("contact", "contact_id"), ("field", "field_id"), ("value", "value")]
        case .deals:
            [("title", "title"), ("description", "description"), ("value", "value"), ("currency", "currency"),
             ("contact", "contact_id"), ("stage", "stage_id"), ("status", "status")]
        case .automationReports: [("entered", "entered"), ("exited", "exited")]
        case .campaignReports: CampaignReport.counterNames.map { ($0, $0) }
        }
    }

    /// Erased contacts stay out of snapshots, and so do their links; a deal keeps no link to one.
    static func withoutErased(_ kind: SnapshotRecordKind) -> String {
        switch kind {
        case .contacts: " AND erased_at IS NULL"
        case .deals, .automationReports, .campaignReports: ""
        default: " AND contact_id NOT IN (SELECT id FROM contacts WHERE account_id = :account AND erased_at IS NOT NULL)"
        }
    }

    static func bodyExpression(_ kind: SnapshotRecordKind, keepContact: Bool) -> String {
        let pairs = columns(kind).map { key, column in
            let liveContact = "(SELECT c.id FROM contacts c WHERE c.account_id = deals.account_id AND c.id = deals.contact_id AND c.erased_at IS NULL)"
            let value = kind == .deals && column == "contact_id" ? (keepContact ? liveContact : "NULL") : column
            return "'\(key)', \(value)"
        }
        return "json_object(\(pairs.joined(separator: ", ")))"
    }
}
