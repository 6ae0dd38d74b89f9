import Foundation

/// The contacts CSV file: which column holds what, reading a row into a `ContactImportRow`, and
/// writing a contact back as a row. Export writes the header `email, first_name, last_name, phone,
/// tags, lists, unsubscribed_lists`, then one column per custom field by its title; import reads any
/// order and letter case of those names (and "First Name", "E-Mail" and the like). Tags and lists are
/// names in one cell, separated by `|` (`CSVNameList`).
public struct ContactCSV: Sendable {
    public enum Column: Equatable, Sendable {
        case email, firstName, lastName, phone, tags, lists, unsubscribedLists
        /// A custom field, by its title.
        case field(String)
    }

    public static let fixedHeader = ["email", "first_name", "last_name", "phone", "tags", "lists", "unsubscribed_lists"]

    public var columns: [Column]

    /// Reads the header. Every column that is not one of the fixed ones names a custom field.
    public init(header: [String]) throws {
        columns = header.map { Self.column(named: $0) }
        guard columns.contains(.email) else {
            throw DomainError.invalid(field: "csv.header", message: "The first line must name the columns, one of them 'email'.")
        }
        var seen: [Column] = []
        for (index, column) in columns.enumerated() {
            if seen.contains(column) {
                throw DomainError.invalid(field: "csv.header", message: "Column \(index + 1) ('\(header[index])') repeats an earlier column.")
            }
            seen.append(column)
        }
    }

    /// The titles of the custom fields the file has columns for.
    public var fieldTitles: [String] {
        columns.compactMap { if case .field(let title) = $0 { title } else { nil } }
    }

    /// The header for an export: the fixed columns, then the fields' titles in the order given.
    public static func header(fieldTitles: [String]) -> [String] {
        fixedHeader + fieldTitles
    }

    /// One data row as an import row, or why it cannot be one.
    public func row(from record: CSVRecord, options: ContactImportOptions) throws(ContactImportFailure) -> ContactImportRow {
        if let problem = record.problem { throw .unreadable(problem) }
        guard record.fields.count == columns.count else { throw .wrongColumnCount(record.fields.count, expected: columns.count) }
        var row = ContactImportRow(line: record.line, email: "")
        for (column, raw) in zip(columns, record.fields) {
            let isName = if case .field = column { false } else { true }
            let value = isName ? raw.trimmingCharacters(in: .whitespaces) : raw
            if ControlCharacters.contains(value) || (isName && value.contains(where: \.isNewline)) || value.utf8.count > 65_536 {
                throw .invalidValue(Self.name(of: column))
            }
            switch column {
            case .email: row.email = value
            case .firstName: row.firstName = value
            case .lastName: row.lastName = value
            case .phone: row.phone = value
            case .tags: row.tags = CSVNameList.split(value).map(options.tagName)
            case .lists: row.subscribe = CSVNameList.split(value).map(AssetRef.name)
            case .unsubscribedLists: row.unsubscribe = CSVNameList.split(value).map(AssetRef.name)
            case .field(let title): row.fields.append((.name(title), value))
            }
        }
        guard EmailAddress.isValid(row.email) else { throw .invalidEmail }
        return row
    }

    /// A contact as a row of an export; `fieldValues` are in the order of the header's fields.
    public static func fields(of contact: Contact, tags: [String], lists: [String], unsubscribedLists: [String], fieldValues: [String]) -> [String] {
        [
            contact.email, contact.firstName, contact.lastName, contact.phone,
            CSVNameList.join(tags.sorted(by: Self.nameOrder)), CSVNameList.join(lists.sorted(by: Self.nameOrder)),
            CSVNameList.join(unsubscribedLists.sorted(by: Self.nameOrder)),
        ] + fieldValues
    }

    /// Names sort the same whatever their ids, so an export does not depend on the order the
    /// account's tags were made in.
    static func nameOrder(_ left: String, _ right: String) -> Bool {
        let (a, b) = (left.lowercased(), right.lowercased())
        return a == b ? left < right : a < b
    }

    static func column(named header: String) -> Column {
        let key = header.trimmingCharacters(in: .whitespaces).lowercased().filter { !" _-".contains($0) }
        switch key {
        case "email", "emailaddress": return .email
        case "firstname": return .firstName
        case "lastname": return .lastName
        case "phone", "phonenumber": return .phone
        case "tags": return .tags
        case "lists": return .lists
        case "unsubscribedlists": return .unsubscribedLists
        default: return .field(header.trimmingCharacters(in: .whitespaces))
        }
    }

    static func name(of column: Column) -> String {
        switch column {
        case .field(let title): title
        default: fixedHeader[[Column.email, .firstName, .lastName, .phone, .tags, .lists, .unsubscribedLists].firstIndex(of: column)!]
        }
    }
}
