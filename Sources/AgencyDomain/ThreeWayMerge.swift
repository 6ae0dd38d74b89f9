/// Who wins a field that both the client and the newer snapshot changed, to different values.
public enum MergePolicy: String, Sendable, CaseIterable, Codable {
    case keepClient = "keep_client"
    case takeSnapshot = "take_snapshot"

    public static func parse(_ text: String, field: String) throws -> MergePolicy {
        guard let policy = MergePolicy(rawValue: text) else {
            throw DomainError.invalid(field: field, message: "'\(field)' must be one of: keep_client, take_snapshot.")
        }
        return policy
    }
}

/// A field both sides changed to different values.
public struct FieldConflict: Codable, Equatable, Sendable {
    public var pointer: String
    public var base: JSONValue?
    public var client: JSONValue?
    public var snapshot: JSONValue?

    public init(pointer: String, base: JSONValue?, client: JSONValue?, snapshot: JSONValue?) {
        self.pointer = pointer
        self.base = base
        self.client = client
        self.snapshot = snapshot
    }

    /// A whole asset in conflict (deleted on one side, or not mergeable): no field values to show.
    public static func wholeAsset() -> FieldConflict { FieldConflict(pointer: "", base: nil, client: nil, snapshot: nil) }
}

/// A three-way merge of one asset body, field by field (JSON Pointer leaves): base is the body the
/// account started from, ours the account's body now, theirs the newer snapshot's.
public struct ThreeWayMerge: Equatable, Sendable {
    /// The merged body; nil only when every side is nil.
    public var merged: JSONValue?
    /// Fields taken from the snapshot (changed only there).
    public var applied: [String] = []
    /// Fields the client changed that stay as the client has them.
    public var kept: [String] = []
    public var conflicts: [FieldConflict] = []

    public init(base: JSONValue?, ours: JSONValue?, theirs: JSONValue?, policy: MergePolicy) {
        merged = merge(base, ours, theirs, at: "", policy: policy)
    }

    /// Objects merge key by key and arrays item by item while all three have the same length;
    /// anything else that both sides changed differently is one conflict at its pointer.
    private mutating func merge(_ base: JSONValue?, _ ours: JSONValue?, _ theirs: JSONValue?, at pointer: String, policy: MergePolicy) -> JSONValue? {
        if ours == theirs { return ours }
        if base == ours {
            applied += FieldChange.between(base, theirs, at: pointer).map(\.pointer)
            return theirs
        }
        if base == theirs {
            kept += FieldChange.between(base, ours, at: pointer).map(\.pointer)
            return ours
        }
        switch (base, ours, theirs) {
        case let (.object(b)?, .object(o)?, .object(t)?):
            var result: [String: JSONValue] = [:]
            for key in Set(b.keys).union(o.keys).union(t.keys).sorted() {
                result[key] = merge(b[key], o[key], t[key], at: JSONPointer.appending(key, to: pointer), policy: policy)
            }
            return .object(result)
        case let (.array(b)?, .array(o)?, .array(t)?) where b.count == o.count && o.count == t.count:
            return .array(b.indices.map { merge(b[$0], o[$0], t[$0], at: JSONPointer.appending($0, to: pointer), policy: policy) ?? .null })
        default:
            conflicts.append(FieldConflict(pointer: pointer, base: base, client: ours, snapshot: theirs))
            return policy == .keepClient ? ours : theirs
        }
    }
}
