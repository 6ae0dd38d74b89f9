/// How one kind of asset is written (v3 field names, envelope, route) and checked.
public struct AssetSpec: Sendable {
    public enum FieldType: Sendable {
        case text
        case oneOf([String])
        case integer
        case reference(AssetKind)
        /// An id of the kind, or 0 for all of them (v3's `relid` 0: a field on every list).
        case referenceOrAll(AssetKind)
        case references(AssetKind)
        case tree(TreeShape)
    }

    public struct Field: Sendable {
        public var name: String
        public var type: FieldType
        public var required: Bool
        public var defaultValue: JSONValue
        /// When left out, the value is made from another field: `stringid` from a list's name,
        /// `perstag` from a field's title (upper case), as ActiveCampaign does.
        public var slugOf: String?

        init(_ name: String, _ type: FieldType, required: Bool = false, default defaultValue: JSONValue = .null, slugOf: String? = nil) {
            self.name = name
            self.type = type
            self.required = required
            self.defaultValue = defaultValue
            self.slugOf = slugOf
        }
    }

    public var kind: AssetKind
    /// The route below `/api/3`, e.g. `tags`.
    public var path: String
    /// The envelope key of one record, e.g. `tag` in `{"tag": {...}}`.
    public var envelope: String
    /// The field shown as the asset's name.
    public var nameField: String
    /// The field whose value (any letter case) is unique within the account, if any.
    public var uniqueField: String?
    public var fields: [Field]

    /// Checks `input` (the envelope's content) and returns what to store. Unknown fields are ignored,
    /// as v3 does; missing optional fields take their defaults. Errors name the field as a path.
    public func draft(from input: [String: JSONValue]) throws -> AssetDraft {
        var body: [String: JSONValue] = [:]
        var references: [AssetReference] = []
        for field in fields {
            let pointer = "/\(field.name)"
            let path = "\(envelope).\(field.name)"
            var value = input[field.name] ?? .null
            if value == .null || value == .string("") {
                if field.required { throw DomainError.invalid(field: path, message: "'\(path)' is required.") }
                value = field.defaultValue
                if let source = field.slugOf, let text = input[source]?.stringValue {
                    value = .string(Self.slug(text, uppercase: field.name == "perstag"))
                }
            }
            body[field.name] = try Self.check(value, as: field.type, path: path, pointer: pointer, into: &references)
        }
        let name = body[nameField]?.stringValue ?? ""
        let uniqueKey = uniqueField.flatMap { body[$0]?.stringValue }.map { $0.lowercased() }
        return AssetDraft(kind: kind, name: name, uniqueKey: uniqueKey, body: body, references: references)
    }

    /// `"Member Status!"` becomes `member-status` (or `MEMBER_STATUS` for personalisation tags).
    static func slug(_ text: String, uppercase: Bool) -> String {
        let separator: Character = uppercase ? "_" : "-"
        var slug = ""
        for character in text.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                slug.append(character)
            } else if !slug.isEmpty, slug.last != separator {
                slug.append(separator)
            }
        }
        while slug.last == separator { slug.removeLast() }
        return uppercase ? slug.uppercased() : slug
    }

    static func check(
        _ value: JSONValue, as type: FieldType, path: String, pointer: String, into references: inout [AssetReference]
    ) throws -> JSONValue {
        if value == .null { return .null }
        switch type {
        case .text:
            switch value {
            case .string(let text):
                try ControlCharacters.check(text, field: path)
                return value
            case .number(let number):
                guard let text = JSONNumber.text(number) else {
                    throw DomainError.invalid(field: path, message: "'\(path)' must be text; \(number) is too large a number to keep exactly.")
                }
                return .string(text)
            case .bool(let flag): return .string(flag ? "1" : "0")
            default: throw DomainError.invalid(field: path, message: "'\(path)' must be text.")
            }
        case .oneOf(let allowed):
            guard let text = value.stringValue, allowed.contains(text) else {
                throw DomainError.invalid(field: path, message: "'\(path)' must be one of: \(allowed.joined(separator: ", ")).")
            }
            return value
        case .integer:
            if case .number(let number) = value, JSONNumber.exactInteger(number) != nil { return value }
            if let text = value.stringValue, let number = Int64(text) { return .number(Double(number)) }
            throw DomainError.invalid(field: path, message: "'\(path)' must be a whole number.")
        case .reference(let kind):
            let id = try ReferenceID.parse(value, path: path)
            references.append(AssetReference(pointer: pointer, kind: kind, id: id))
            return .string(String(id))
        case .referenceOrAll(let kind):
            if value == .number(0) || value == .string("0") { return .string("0") }
            return try check(value, as: .reference(kind), path: path, pointer: pointer, into: &references)
        case .references(let kind):
            guard let items = value.arrayValue else { throw DomainError.invalid(field: path, message: "'\(path)' must be a list of ids.") }
            var seen = Set<Int64>()
            return .array(try items.enumerated().compactMap { index, item in
                let id = try ReferenceID.parse(item, path: "\(path)[\(index)]")
                guard seen.insert(id).inserted else { return nil }  // a repeated id means the same thing once
                references.append(AssetReference(pointer: "\(pointer)/\(index)", kind: kind, id: id))
                return .string(String(id))
            })
        case .tree(let shape):
            return try shape.check(value, path: path, pointer: pointer, into: &references)
        }
    }
}

/// Ids inside bodies: v3 writes them as strings of digits; numbers are accepted too.
enum ReferenceID {
    static func parse(_ value: JSONValue, path: String) throws -> Int64 {
        switch value {
        case .string(let text): if let id = Int64(text), id > 0 { return id }
        case .number(let number): if let id = JSONNumber.exactInteger(number), id > 0 { return id }
        default: break
        }
        throw DomainError.invalid(field: path, message: "'\(path)' must be an id (a positive whole number).")
    }
}
