/// `POST /v1/sandboxes`.
public struct SandboxRequest: Codable, Sendable {
    public var name: String?

    public init(name: String?) { self.name = name }
}

/// `POST /v1/accounts`: a client account, blank or made from a snapshot.
public struct AccountRequest: Codable, Sendable {
    public var name: String?
    public var kind: String?
    public var snapshot_id: FlexibleID?
    public var activate_automations: Bool?
    public var activate_campaigns: Bool?
    /// One of the agency's active custom domains: the credentials' `login_url` is then on it.
    public var domain: String?

    public init(
        name: String?, kind: String?, snapshot_id: Int64?, activate_automations: Bool?, activate_campaigns: Bool?, domain: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.snapshot_id = snapshot_id.map(FlexibleID.init)
        self.activate_automations = activate_automations
        self.activate_campaigns = activate_campaigns
        self.domain = domain
    }
}

/// `PATCH /v1/accounts/{id}`.
public struct AccountUpdateRequest: Codable, Sendable {
    public var name: String?
    public var kind: String?

    public init(name: String?, kind: String?) {
        self.name = name
        self.kind = kind
    }
}

/// `POST /v1/snapshots`.
public struct SnapshotRequest: Codable, Sendable {
    public var sandbox_id: FlexibleID?
    public var name: String?
    public var include: [String]?

    public init(sandbox_id: Int64, name: String, include: [String]?) {
        self.sandbox_id = FlexibleID(sandbox_id)
        self.name = name
        self.include = include
    }
}

/// `POST /v1/login`.
public struct LoginRequest: Codable, Sendable {
    public var username: String?
    public var password: String?

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}
