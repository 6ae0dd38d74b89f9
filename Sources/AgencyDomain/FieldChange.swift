/// One field that differs between two versions of an asset body; nil is "not there".
public struct FieldChange: Equatable, Sendable {
    public var pointer: String
    public var old: JSONValue?
    public var new: JSONValue?

    public init(pointer: String, old: JSONValue?, new: JSONValue?) {
        self.pointer = pointer
        self.old = old
        self.new = new
    }

    /// The fields that differ, as JSON Pointer leaves in key order. Objects are compared key by key
    /// and arrays item by item while they keep their length; an array that grew or shrank is one
    /// change, since its items no longer line up.
    public static func between(_ old: JSONValue?, _ new: JSONValue?, at pointer: String = "") -> [FieldChange] {
        if old == new { return [] }
        switch (old, new) {
        case let (.object(before)?, .object(after)?):
            return Set(before.keys).union(after.keys).sorted().flatMap {
                between(before[$0], after[$0], at: JSONPointer.appending($0, to: pointer))
            }
        case let (.array(before)?, .array(after)?) where before.count == after.count:
            return before.indices.flatMap { between(before[$0], after[$0], at: JSONPointer.appending($0, to: pointer)) }
        default:
            return [FieldChange(pointer: pointer, old: old, new: new)]
        }
    }
}
