import AgencyDomain
import GRDB

/// A link between a contact and an asset (contactTag, contactList, fieldValue), in v3's terms.
public struct ContactLink: Equatable, Sendable {
    public var id: Int64
    public var contactID: Int64
    public var assetID: Int64
    /// A contactList's status (1 subscribed, 2 unsubscribed) or a fieldValue's value; nil for tags.
    public var value: String?
    public var createdAt: String
}

/// A deal in a pipeline stage.
public struct Deal: Equatable, Sendable {
    public var id: Int64
    public var title: String
    public var description: String
    public var value: Int64
    public var currency: String
    public var contactID: Int64?
    public var stageID: Int64
    public var groupID: Int64?
    public var status: Int
    public var createdAt: String
    public var updatedAt: String

    public init(id: Int64 = 0, title: String, description: String, value: Int64, currency: String, contactID: Int64?, stageID: Int64, status: Int) {
        self.id = id
        self.title = title
        self.description = description
        self.value = value
        self.currency = currency
        self.contactID = contactID
        self.stageID = stageID
        self.status = status
        self.groupID = nil
        self.createdAt = ""
        self.updatedAt = ""
    }
}

/// The three contact-to-asset tables, described once.
public enum ContactLinkKind: String, Sendable {
    case tag, list, field

    var table: String {
        switch self {
        case .tag: "contact_tags"
        case .list: "contact_lists"
        case .field: "field_values"
        }
    }

    var assetColumn: String { "\(rawValue)_id" }

    /// A list link's status or a field link's value; tags carry none.
    var valueColumn: String? {
        switch self {
        case .tag: nil
        case .list: "status"
        case .field: "value"
        }
    }

    /// v3's envelope key, e.g. `contactTag`.
    public var envelope: String {
        switch self {
        case .tag: "contactTag"
        case .list: "contactList"
        case .field: "fieldValue"
        }
    }

    var assetKind: AssetKind {
        switch self {
        case .tag: .tag
        case .list: .list
        case .field: .field
        }
    }
}

extension AppDatabase {
    /// Links a contact to a tag, list or field. An existing link of the same pair is updated (its status
    /// or value), as v3's contactLists and fieldValues do.
    public func link(_ kind: ContactLinkKind, accountID: Int64, contactID: Int64, assetID: Int64, value: String?) async throws -> (link: ContactLink, created: Bool) {
        try await writer.write { db in
            try Self.requireContact(accountID: accountID, id: contactID, field: "\(kind.envelope).contact", db)
            if kind != .list || value == "1", try Self.isErased(accountID: accountID, contactID: contactID, db) {
                throw DomainError.conflict(code: "contact_erased", message: "Contact \(contactID) was erased: it takes no new tags, values or subscriptions.")
            }
            try Self.requireAsset(accountID: accountID, kind: kind.assetKind, id: assetID, field: "\(kind.envelope).\(kind.rawValue)", db)
            let now = Timestamp.now()
            if let existing = try Int64.fetchOne(
                db, sql: "SELECT id FROM \(kind.table) WHERE account_id = ? AND contact_id = ? AND \(kind.assetColumn) = ?",
                arguments: [accountID, contactID, assetID]
            ) {
                if let column = kind.valueColumn {
                    try db.execute(sql: "UPDATE \(kind.table) SET \(column) = ?, updated_at = ? WHERE account_id = ? AND id = ?", arguments: [value, now, accountID, existing])
                }
                return (try Self.link(kind, accountID: accountID, id: existing, db), false)
            }
            let id = try db.nextID(kind.table, in: accountID)
            if let column = kind.valueColumn {
                try db.execute(
                    sql: "INSERT INTO \(kind.table) (account_id, id, contact_id, \(kind.assetColumn), \(column), created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [accountID, id, contactID, assetID, value, now, now]
                )
            } else {
                try db.execute(
                    sql: "INSERT INTO \(kind.table) (account_id, id, contact_id, \(kind.assetColumn), created_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [accountID, id, contactID, assetID, now]
                )
            }
            return (try Self.link(kind, accountID: accountID, id: id, db), true)
        }
    }

    /// Links of one contact (none when it does not exist), or of the whole account when `contactID` is nil; of one asset when
    /// `assetID` is given (v3's `filters[fieldid]`).
    public func links(
        _ kind: ContactLinkKind, accountID: Int64, contactID: Int64?, assetID: Int64? = nil, page: Page
    ) async throws -> (links: [ContactLink], total: Int) {
        try quickRead { db in
            let filter = (contactID == nil ? "" : " AND contact_id = :contact") + (assetID == nil ? "" : " AND \(kind.assetColumn) = :asset")
            let arguments: StatementArguments = ["account": accountID, "contact": contactID, "asset": assetID, "limit": page.limit, "offset": page.offset]
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(kind.table) WHERE account_id = :account" + filter, arguments: arguments)!
            let rows = try Row.fetchAll(db, sql: Self.linkSelect(kind) + " WHERE account_id = :account" + filter + " ORDER BY id LIMIT :limit OFFSET :offset", arguments: arguments)
            return (rows.map(Self.link(from:)), total)
        }
    }

    public func link(_ kind: ContactLinkKind, accountID: Int64, id: Int64) async throws -> ContactLink {
        try quickRead { db in try Self.link(kind, accountID: accountID, id: id, db) }
    }

    public func unlink(_ kind: ContactLinkKind, accountID: Int64, id: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM \(kind.table) WHERE account_id = ? AND id = ?", arguments: [accountID, id])
            if db.changesCount == 0 { throw DomainError.notFound(what: "\(kind.envelope) \(id)") }
        }
    }

    /// Contacts subscribed (status 1) to a list, for v3's `GET /contacts?listid=`.
    public func contacts(accountID: Int64, subscribedTo listID: Int64, page: Page) async throws -> (contacts: [Contact], total: Int) {
        try lean.read { connection in
            try Self.contactPage(
                matching: "contacts c JOIN contact_lists l ON l.account_id = c.account_id AND l.contact_id = c.id"
                    + " WHERE c.account_id = ? AND l.list_id = ? AND l.status = 1",
                arguments: [accountID, listID], page: page, connection
            )
        }
    }

    static func linkSelect(_ kind: ContactLinkKind) -> String {
        "SELECT id, contact_id, \(kind.assetColumn) AS asset_id, \(kind.valueColumn.map { "CAST(\($0) AS TEXT)" } ?? "NULL") AS value, created_at FROM \(kind.table)"
    }

    static func link(_ kind: ContactLinkKind, accountID: Int64, id: Int64, _ db: Database) throws -> ContactLink {
        guard let row = try Row.fetchOne(db, sql: linkSelect(kind) + " WHERE account_id = ? AND id = ?", arguments: [accountID, id]) else {
            throw DomainError.notFound(what: "\(kind.envelope) \(id)")
        }
        return link(from: row)
    }

    static func link(from row: Row) -> ContactLink {
        ContactLink(id: row["id"], contactID: row["contact_id"], assetID: row["asset_id"], value: row["value"], createdAt: row["created_at"])
    }

    /// A missing contact is "not found" when it is the path, and a field error when it is in the body.
    static func requireContact(accountID: Int64, id: Int64, field: String?, _ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM contacts WHERE account_id = ? AND id = ?", arguments: [accountID, id]) == nil else { return }
        guard let field else { throw DomainError.notFound(what: "Contact \(id)") }
        throw DomainError.invalid(field: field, message: "'\(field)' names contact \(id), which does not exist in this account.")
    }

    static func isErased(accountID: Int64, contactID: Int64, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT erased_at IS NOT NULL FROM contacts WHERE account_id = ? AND id = ?", arguments: [accountID, contactID]) ?? false
    }

    static func requireAsset(accountID: Int64, kind: AssetKind, id: Int64, field: String, _ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM assets WHERE account_id = ? AND kind = ? AND id = ?", arguments: [accountID, kind.rawValue, id]) == nil else { return }
        throw DomainError.invalid(field: field, message: "'\(field)' names \(kind.rawValue) \(id), which does not exist in this account.")
    }
}

/// One status a contact had on a list, from when.
public struct ListStatusChange: Equatable, Sendable {
    public var listID: Int64
    public var status: Int
    public var changedAt: String
}

extension AppDatabase {
    /// Every status the contact had on each of its lists, oldest first: subscribed, unsubscribed, back.
    public func listHistory(accountID: Int64, contactID: Int64) async throws -> [ListStatusChange] {
        try quickRead { db in
            try Self.requireContact(accountID: accountID, id: contactID, field: nil, db)
            return try Row.fetchAll(
                db, sql: "SELECT list_id, status, changed_at FROM contact_list_history WHERE account_id = ? AND contact_id = ? ORDER BY list_id, rowid",
                arguments: [accountID, contactID]
            ).map { ListStatusChange(listID: $0[0], status: $0[1], changedAt: $0[2]) }
        }
    }
}
