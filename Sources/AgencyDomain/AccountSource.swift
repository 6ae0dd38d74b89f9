/// Where a provisioned account came from. Kept after the snapshot is deleted.
public struct AccountSource: Equatable, Sendable {
    public var snapshotID: Int64
    public var snapshotName: String
    public var digest: String
    public var options: ProvisioningOptions
    /// False once the snapshot has been deleted; the account keeps this record all the same.
    public var snapshotExists: Bool

    public init(snapshotID: Int64, snapshotName: String, digest: String, options: ProvisioningOptions, snapshotExists: Bool = true) {
        self.snapshotID = snapshotID
        self.snapshotName = snapshotName
        self.digest = digest
        self.options = options
        self.snapshotExists = snapshotExists
    }
}
