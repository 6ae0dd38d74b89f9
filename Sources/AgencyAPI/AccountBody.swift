import AgencyDomain

/// An account as the agency API shows it. `credentials` appear only in the reply that created them.
public struct AccountBody: Codable, Sendable {
    /// null means unlimited.
    public struct Limits: Codable, Sendable {
        public var contacts: OrNull<Int>
        public var sends: OrNull<Int>
    }

    public struct Usage: Codable, Sendable {
        public var contacts: Int
        public var sends: Int
    }

    public var id: Int64
    public var name: String
    public var kind: String
    public var limits: Limits
    public var usage: Usage
    public var created_at: String
    public var credentials: CredentialsBody?
    /// The snapshot the account was made from; null for sandboxes and empty accounts.
    public var source: OrNull<SourceBody>

    public init(_ account: Account, credentials: CredentialsBody? = nil) {
        id = account.id
        name = account.name
        kind = account.kind.rawValue
        limits = Limits(contacts: OrNull(account.limits.contacts), sends: OrNull(account.limits.sends))
        usage = Usage(contacts: account.usage.contacts, sends: account.usage.sends)
        created_at = account.createdAt
        self.credentials = credentials
        source = OrNull(account.source.map(SourceBody.init))
    }
}

/// Login credentials, shown once.
public struct CredentialsBody: Codable, Sendable {
    public var login_url: String
    public var username: String
    public var password: String

    public init(login_url: String, username: String, password: String) {
        self.login_url = login_url
        self.username = username
        self.password = password
    }
}

/// Where a provisioned account came from. The snapshot may since have been deleted.
public struct SourceBody: Codable, Sendable {
    public var snapshot_id: Int64
    public var snapshot_name: String
    public var digest: String
    public var snapshot_exists: Bool
    public var activate_automations: Bool
    public var activate_campaigns: Bool

    public init(_ source: AccountSource) {
        snapshot_id = source.snapshotID
        snapshot_name = source.snapshotName
        digest = source.digest
        snapshot_exists = source.snapshotExists
        activate_automations = source.options.activateAutomations
        activate_campaigns = source.options.activateCampaigns
    }
}

/// A page of accounts.
public struct AccountList: Codable, Sendable {
    public var accounts: [AccountBody]
    public var meta: ListMeta

    public init(accounts: [AccountBody], meta: ListMeta) {
        self.accounts = accounts
        self.meta = meta
    }
}
