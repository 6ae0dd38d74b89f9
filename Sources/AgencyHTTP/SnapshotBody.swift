import AgencyDomain

/// A snapshot as the agency API shows it. Lists leave the omitted manifest out (it can hold
/// thousands of entries) and give its length; one snapshot shows it in full.
struct SnapshotBody: Encodable {
    var id: Int64
    var name: String
    var source_account_id: Int64
    var created_at: String
    var digest: String
    var includes: [String]
    var contents: [String: Int]
    var omitted_count: Int
    var omitted: [OmittedImage]?

    init(_ snapshot: Snapshot, withManifest: Bool = true) {
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

/// Where a provisioned account came from, as the agency API shows it.
struct SourceBody: Encodable {
    var snapshot_id: Int64
    var snapshot_name: String
    var digest: String
    var activate_automations: Bool
    var activate_campaigns: Bool

    init(_ source: AccountSource) {
        snapshot_id = source.snapshotID
        snapshot_name = source.snapshotName
        digest = source.digest
        activate_automations = source.options.activateAutomations
        activate_campaigns = source.options.activateCampaigns
    }
}
