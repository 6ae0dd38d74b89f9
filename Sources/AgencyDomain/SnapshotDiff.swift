/// How two snapshots of an agency differ, asset by asset. Assets are matched by kind and id, the
/// identity they have in their sandbox.
public struct SnapshotDiff: Equatable, Sendable {
    public enum Status: String, Sendable { case added, removed, changed }

    public struct Entry: Equatable, Sendable {
        public var kind: AssetKind
        public var id: Int64
        public var name: String
        public var status: Status
        /// For a change, old is the first snapshot's value, new the second's.
        public var changes: [FieldChange]

        public init(kind: AssetKind, id: Int64, name: String, status: Status, changes: [FieldChange] = []) {
            self.kind = kind
            self.id = id
            self.name = name
            self.status = status
            self.changes = changes
        }
    }

    public struct Counts: Equatable, Sendable {
        public var added = 0
        public var removed = 0
        public var changed = 0
        public var unchanged = 0

        public init() {}
    }

    public var fromSnapshotID: Int64
    public var toSnapshotID: Int64
    public var entries: [Entry]
    /// Per kind (its route name, e.g. `tags`); unchanged assets are only counted.
    public var counts: [String: Counts]

    public init(fromSnapshotID: Int64, toSnapshotID: Int64, entries: [Entry], counts: [String: Counts]) {
        self.fromSnapshotID = fromSnapshotID
        self.toSnapshotID = toSnapshotID
        self.entries = entries
        self.counts = counts
    }
}
