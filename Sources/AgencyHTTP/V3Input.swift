import AgencyDomain
import Hummingbird

/// Reading v3 request bodies: the `{"<envelope>": {...}}` wrapper, ids and text fields, which v3
/// clients send as strings or numbers alike.
enum V3Input {
    static func envelope(_ key: String, _ request: Request) async throws -> [String: JSONValue] {
        guard let fields = try await request.decodeJSON([String: JSONValue].self)[key]?.objectValue else {
            throw DomainError.invalid(field: key, message: "Send it as {\"\(key)\": {...}}.")
        }
        return fields
    }

    static func id(_ value: JSONValue?, field: String) throws -> Int64 {
        guard let value, let text = try text(value, field: field), let id = Int64(text), id > 0 else {
            throw DomainError.invalid(field: field, message: "'\(field)' must be an id.")
        }
        return id
    }

    /// A text field: strings as they are, numbers written out; nil when absent or null. Anything
    /// else, or a number too large to keep exactly, is refused rather than dropped.
    static func text(_ value: JSONValue?, field: String) throws -> String? {
        switch value {
        case .none, .some(.null): return nil
        case .some(.string(let text)): return text
        case .some(.number(let number)):
            if let text = JSONNumber.text(number) { return text }
        default: break
        }
        throw DomainError.invalid(field: field, message: "'\(field)' must be text or a number that can be kept exactly.")
    }
}
