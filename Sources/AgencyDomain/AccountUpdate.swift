/// What an update of a client account to a newer snapshot of its sandbox did, or would do (dry run).
public struct UpdateReport: Codable, Equatable, Sendable {
    public var accountID: Int64
    public var fromSnapshotID: Int64
    public var toSnapshotID: Int64
    /// The account's base afterwards: the target, unless only some kinds were taken or a change could
    /// not be merged yet (then the base stays, and the next update takes up what is left).
    public var baseSnapshotID: Int64
    public var policy: MergePolicy
    public var dryRun: Bool
    /// Assets with fields taken from the snapshot.
    public var applied: [UpdateItem] = []
    /// Assets with fields (or whole assets) left as the client has them, and why.
    public var kept: [UpdateItem] = []
    public var conflicts: [UpdateConflict] = []
    /// Assets the snapshot added, at their ids in this account.
    public var created: [UpdateItem] = []
    public var removed: [UpdateItem] = []
    /// Images stripped from what arrived, which the client must upload again.
    public var omitted: [OmittedImage] = []

    public init(accountID: Int64, fromSnapshotID: Int64, toSnapshotID: Int64, policy: MergePolicy, dryRun: Bool) {
        self.accountID = accountID
        self.fromSnapshotID = fromSnapshotID
        self.toSnapshotID = toSnapshotID
        baseSnapshotID = toSnapshotID
        self.policy = policy
        self.dryRun = dryRun
    }

    public var counts: [String: Int] {
        ["applied": applied.count, "kept": kept.count, "conflicts": conflicts.count, "created": created.count, "removed": removed.count]
    }
}

/// One asset in an update report: where it is in the account and which fields the line is about.
public struct UpdateItem: Codable, Equatable, Sendable {
    public var kind: AssetKind
    public var id: Int64
    public var name: String
    public var pointers: [String]
    public var reason: String?

    public init(kind: AssetKind, id: Int64, name: String, pointers: [String] = [], reason: String? = nil) {
        self.kind = kind
        self.id = id
        self.name = name
        self.pointers = pointers
        self.reason = reason
    }
}

/// An asset both the client and the snapshot changed in the same place, and which side the policy took.
public struct UpdateConflict: Codable, Equatable, Sendable {
    public var kind: AssetKind
    public var id: Int64
    public var name: String
    public var fields: [FieldConflict]
    public var resolution: MergePolicy
    public var reason: String?

    public init(kind: AssetKind, id: Int64, name: String, fields: [FieldConflict], resolution: MergePolicy, reason: String? = nil) {
        self.kind = kind
        self.id = id
        self.name = name
        self.fields = fields
        self.resolution = resolution
        self.reason = reason
    }
}

/// How an update is asked for.
public struct UpdateOptions: Equatable, Sendable {
    public var snapshotID: Int64
    public var dryRun: Bool
    public var policy: MergePolicy
    /// Only changes to these kinds; nil for all. Assets they need that arrive with the snapshot come too.
    public var kinds: Set<AssetKind>?

    public init(snapshotID: Int64, dryRun: Bool = false, policy: MergePolicy = .keepClient, kinds: Set<AssetKind>? = nil) {
        self.snapshotID = snapshotID
        self.dryRun = dryRun
        self.policy = policy
        self.kinds = kinds
    }
}

extension AssetKind {
    /// Fields that belong to the client once an asset is in its account: whether an automation runs
    /// and whether a campaign went out are never changed by an update.
    public var clientOwnedFields: [String] {
        switch self {
        case .automation, .campaign: ["status"]
        default: []
        }
    }
}
