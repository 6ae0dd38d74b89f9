/// Text from outside must not carry control characters: SQLite's C strings end at NUL, so such text
/// would be stored cut short, and the rest are never meant in names, emails or bodies. Tab, line feed
/// and carriage return stay allowed (HTML bodies and descriptions have them).
public enum ControlCharacters {
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F: true
        default: false
        }
    }

    public static func contains(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.contains(where: isForbidden)
    }

    /// Throws `invalid` naming `field` when `text` carries a control character.
    public static func check(_ text: some StringProtocol, field: String) throws {
        if contains(text) { throw refusal(field: field) }
    }

    public static func refusal(field: String) -> DomainError {
        .invalid(field: field, message: "'\(field)' contains a control character (such as U+0000), which is not allowed in text.")
    }

    /// The JSON path of the first string (or object key) in `value` that carries a control character.
    public static func firstOffender(in value: JSONValue, path: String = "") -> String? {
        switch value {
        case .string(let text):
            return contains(text) ? path : nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = firstOffender(in: item, path: "\(path)[\(index)]") { return found }
            }
            return nil
        case .object(let object):
            for (key, child) in object.sorted(by: { $0.key < $1.key }) {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if contains(key) { return childPath }
                if let found = firstOffender(in: child, path: childPath) { return found }
            }
            return nil
        case .null, .bool, .number:
            return nil
        }
    }
}
