/// A tag, list or field named in an import: by id (v3's bulk_import) or by name (a CSV file).
public enum AssetRef: Hashable, Sendable {
    case id(Int64)
    case name(String)
}

/// One contact to create or update, as an import reads it. A nil name or phone leaves the stored
/// value as it is (the file has no such column); tags and lists are added, never taken away.
public struct ContactImportRow: Sendable {
    /// The line of the CSV file, or the position in a bulk_import request (from 1).
    public var line: Int
    public var email: String
    public var firstName: String?
    public var lastName: String?
    public var phone: String?
    public var tags: [String]
    public var subscribe: [AssetRef]
    public var unsubscribe: [AssetRef]
    /// Field values; an empty value removes the contact's value for that field.
    public var fields: [(field: AssetRef, value: String)]

    public init(
        line: Int, email: String, firstName: String? = nil, lastName: String? = nil, phone: String? = nil, tags: [String] = [],
        subscribe: [AssetRef] = [], unsubscribe: [AssetRef] = [], fields: [(field: AssetRef, value: String)] = []
    ) {
        self.line = line
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.tags = tags
        self.subscribe = subscribe
        self.unsubscribe = unsubscribe
        self.fields = fields
    }
}

/// How an import treats names: renames of tags on the way in (a provider switch), whether names the
/// account lacks are created, and whether an erased address may come back.
public struct ContactImportOptions: Sendable {
    /// Old tag name (any letter case) to new tag name.
    public var tagRenames: [String: String]
    public var createMissing: Bool
    public var readmitErased: Bool

    public init(tagRenames: [String: String] = [:], createMissing: Bool = false, readmitErased: Bool = false) {
        self.tagRenames = Dictionary(tagRenames.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.createMissing = createMissing
        self.readmitErased = readmitErased
    }

    /// Parses `OLD=NEW`, as `--map-tag` and `map_tag` give it.
    public static func tagRename(_ text: String) throws -> (old: String, new: String) {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw DomainError.invalid(field: "map_tag", message: "'\(text)' is not OLD=NEW (e.g. Kunde=Customer).")
        }
        return (parts[0], parts[1])
    }

    public func tagName(_ name: String) -> String { tagRenames[name.lowercased()] ?? name }
}

/// Why one row of an import was refused. The codes are stable; messages never repeat the row's
/// values, so the report (which is kept) holds no personal data.
public struct ContactImportFailure: Error, Equatable, Sendable {
    public var code: String
    public var message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public static let invalidEmail = ContactImportFailure("invalid_email", "The email address is missing or not valid.")
    public static let duplicateInFile = ContactImportFailure("duplicate_in_file", "An earlier row of this import has the same email address.")
    public static let sandboxContactLimit = ContactImportFailure("sandbox_contact_limit", "The sandbox holds its limit of contacts; the row was not added.")
    public static let erasedContact = ContactImportFailure(
        "erased_contact", "This address belongs to an erased contact; it comes back only when the import is told to readmit erased addresses."
    )
    public static func unreadable(_ why: String) -> ContactImportFailure { ContactImportFailure("unreadable_row", "The row cannot be read: \(why).") }
    public static func wrongColumnCount(_ count: Int, expected: Int) -> ContactImportFailure {
        ContactImportFailure("wrong_column_count", "The row has \(count) values; the header has \(expected) columns.")
    }
    public static func invalidValue(_ column: String) -> ContactImportFailure {
        ContactImportFailure("invalid_value", "The value in '\(column)' holds control characters or is too long.")
    }
    public static func unknown(_ kind: AssetKind, _ ref: AssetRef) -> ContactImportFailure {
        return switch ref {
        case .id(let id): ContactImportFailure("unknown_\(kind.rawValue)", "The account has no \(kind.rawValue) \(id).")
        case .name(let name):
            ContactImportFailure("unknown_\(kind.rawValue)", "The account has no \(kind.rawValue) '\(name)'; import with create-missing to create it.")
        }
    }
}
