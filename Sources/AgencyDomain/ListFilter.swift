/// One `filters[field]` or `filters[field][op]` of a v3 list request: a field, how to compare, and the
/// value. v3 documents `eq` (the default), `neq`, `lt`, `lte`, `gt`, `gte`, `contains` and
/// `starts_with`; values compare as text.
public struct ListFilter: Equatable, Sendable {
    public enum Operation: String, Sendable, CaseIterable {
        case eq, neq, lt, lte, gt, gte, contains
        case startsWith = "starts_with"
    }

    public var field: String
    public var operation: Operation
    public var value: String

    public init(field: String, operation: Operation = .eq, value: String) {
        self.field = field
        self.operation = operation
        self.value = value
    }

    /// Reads a query key such as `filters[name]` or `filters[search][contains]`: the field and the
    /// operation, or nil when the key is not a filter, or names an operation v3 does not have (which,
    /// as v3 does with unknown filters, is then ignored rather than refused).
    public static func parse(key: String) -> (field: String, operation: Operation)? {
        guard key.hasPrefix("filters["), key.hasSuffix("]") else { return nil }
        let inside = key.dropFirst("filters[".count).dropLast()
        let parts = inside.components(separatedBy: "][")
        guard let field = parts.first, !field.isEmpty, parts.count <= 2 else { return nil }
        guard parts.count == 2 else { return (field, .eq) }
        guard let operation = Operation(rawValue: parts[1].lowercased()) else { return nil }
        return (field, operation)
    }
}
