/// `GET /v1/accounts/{id}/verify`: integrity of an account, and its drift from its base snapshot.
public struct AccountCheckBody: Codable, Sendable {
    public var account_id: Int64
    public var ok: Bool
    public var references_intact: Bool
    public var equals_snapshot: OrNull<Bool>
    public var snapshot_exists: Bool
    public var source: OrNull<SourceBody>
    public var assets_checked: Int
    public var references_checked: Int
    public var dangling: [String]
    public var differences: [String]

    public init(
        account_id: Int64, ok: Bool, references_intact: Bool, equals_snapshot: Bool?, snapshot_exists: Bool, source: SourceBody?,
        assets_checked: Int, references_checked: Int, dangling: [String], differences: [String]
    ) {
        self.account_id = account_id
        self.ok = ok
        self.references_intact = references_intact
        self.equals_snapshot = OrNull(equals_snapshot)
        self.snapshot_exists = snapshot_exists
        self.source = OrNull(source)
        self.assets_checked = assets_checked
        self.references_checked = references_checked
        self.dangling = dangling
        self.differences = differences
    }
}

/// `POST /v1/snapshots/{id}/verify`: the stored digest against one recomputed from the stored rows.
public struct SnapshotCheckBody: Codable, Sendable {
    public var snapshot_id: Int64
    public var ok: Bool
    public var digest: String
    public var recomputed_digest: String
    public var problems: [String]

    public init(snapshot_id: Int64, ok: Bool, digest: String, recomputed_digest: String, problems: [String]) {
        self.snapshot_id = snapshot_id
        self.ok = ok
        self.digest = digest
        self.recomputed_digest = recomputed_digest
        self.problems = problems
    }
}
