import AgencyDomain
import GRDB

/// A page of a contacts export, as CSV bytes.
public struct ContactExportPage: Sendable {
    public var csv: [UInt8]
    public var contacts: Int
    /// The id to continue after; nil when this was the last page.
    public var nextAfter: Int64?
}

extension AppDatabase {
    /// The contacts after id `after` (erased ones left out), `limit` of them, as CSV rows (with the
    /// header first when `header`). Each page is one short read, so an export of any size holds no
    /// long transaction and no more than a page in memory; pages follow ids, so none is read twice.
    public func exportContacts(accountID: Int64, after: Int64 = 0, limit: Int = 2_000, header: Bool = true) async throws -> ContactExportPage {
        try await writer.read { db in
            let names = try Self.assetNames(accountID: accountID, db)
            let fieldIDs = names.fields.map(\.id)
            var csv: [UInt8] = []
            if header { CSVWriter.append(ContactCSV.header(fieldTitles: names.fields.map(\.name)), to: &csv) }
            let contacts = try Self.contacts(
                db.cachedStatement(sql: Self.contactSelect + " FROM contacts c WHERE c.account_id = ? AND c.id > ? AND c.erased_at IS NULL ORDER BY c.id LIMIT ?"),
                arguments: [accountID, after, limit]
            )
            guard let first = contacts.first?.id, let last = contacts.last?.id else { return ContactExportPage(csv: csv, contacts: 0, nextAfter: nil) }
            let range: StatementArguments = [accountID, first, last]
            var tags: [Int64: [String]] = [:], lists: [Int64: [String]] = [:], unsubscribed: [Int64: [String]] = [:], values: [Int64: [Int64: String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT contact_id, tag_id FROM contact_tags WHERE account_id = ? AND contact_id BETWEEN ? AND ?", arguments: range) {
                if let name = names.tags[row[1]] { tags[row[0], default: []].append(name) }
            }
            for row in try Row.fetchAll(db, sql: "SELECT contact_id, list_id, status FROM contact_lists WHERE account_id = ? AND contact_id BETWEEN ? AND ?", arguments: range) {
                guard let name = names.lists[row[1]] else { continue }
                if row[2] == 1 { lists[row[0], default: []].append(name) } else { unsubscribed[row[0], default: []].append(name) }
            }
            for row in try Row.fetchAll(db, sql: "SELECT contact_id, field_id, value FROM field_values WHERE account_id = ? AND contact_id BETWEEN ? AND ?", arguments: range) {
                values[row[0], default: [:]][row[1]] = row[2]
            }
            for contact in contacts {
                let fieldValues = fieldIDs.map { values[contact.id]?[$0] ?? "" }
                CSVWriter.append(ContactCSV.fields(
                    of: contact, tags: tags[contact.id] ?? [], lists: lists[contact.id] ?? [], unsubscribedLists: unsubscribed[contact.id] ?? [],
                    fieldValues: fieldValues
                ), to: &csv)
            }
            return ContactExportPage(csv: csv, contacts: contacts.count, nextAfter: contacts.count == limit ? last : nil)
        }
    }

    /// The names of an account's tags and lists by id, and its fields in id order.
    static func assetNames(accountID: Int64, _ db: Database) throws -> (tags: [Int64: String], lists: [Int64: String], fields: [(id: Int64, name: String)]) {
        var tags: [Int64: String] = [:], lists: [Int64: String] = [:], fields: [(id: Int64, name: String)] = []
        for row in try Row.fetchAll(
            db, sql: "SELECT kind, id, name FROM assets WHERE account_id = ? AND kind IN ('tag', 'list', 'field') ORDER BY id", arguments: [accountID]
        ) {
            switch row[0] as String {
            case "tag": tags[row[1]] = row[2]
            case "list": lists[row[1]] = row[2]
            default: fields.append((row[1], row[2]))
            }
        }
        return (tags, lists, fields)
    }
}
