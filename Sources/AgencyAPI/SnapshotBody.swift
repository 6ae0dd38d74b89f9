import AgencyDomain

/// A snapshot as the agency API shows it. Lists leave the omitted manifest out (it can hold
/// thousands of entries) and give its length; one snapshot shows it in full.
public struct SnapshotBody: Codable, Sendable {
    public var id: Int64
    public var name: String
    public var source_account_id: Int64
    public var created_at: String
    public var digest: String
    public var includes: [String]
    public var contents: [String: Int]
    public var omitted_count: Int
    public var omitted: [OmittedImage]?

    public init(_ snapshot: Snapshot, withManifest: Bool = true) {
        id = snapshot.id
        name = snapshot.name
        source_account_id = snapshot.sourceAccountID
        created_at = snapshot.createdAt
        digest = snapshot.digest
        includes = snapshot.includes.map(\.rawValue)
        contents = snapshot.contents
        omitted_count = snapshot.omittedCount
        omitted = withManifest ? snapshot.omitted : nil
    }
}

/// A page of snapshots.
public struct SnapshotList: Codable, Sendable {
    public var snapshots: [SnapshotBody]
    public var meta: ListMeta

    public init(snapshots: [SnapshotBody], meta: ListMeta) {
        self.snapshots = snapshots
        self.meta = meta
    }
}
