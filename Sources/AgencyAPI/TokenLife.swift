/// A per-account API token as listed: never its secret or its digest.
public struct AccountTokenBody: Codable, Sendable {
    public var id: Int64
    public var created_at: String
    /// Kept to about a minute; null when the token has not been used since it was made.
    public var last_used_at: OrNull<String>

    public init(id: Int64, created_at: String, last_used_at: String?) {
        self.id = id
        self.created_at = created_at
        self.last_used_at = OrNull(last_used_at)
    }
}

/// `GET /v1/accounts/{id}/tokens`.
public struct AccountTokenList: Codable, Sendable {
    public var account_id: Int64
    public var tokens: [AccountTokenBody]

    public init(account_id: Int64, tokens: [AccountTokenBody]) {
        self.account_id = account_id
        self.tokens = tokens
    }
}

/// `POST /v1/agency/token/rotate`'s optional body.
public struct TokenRotationRequest: Codable, Sendable {
    /// How long the old token keeps working beside the new one; 0 or absent: it ends at once.
    public var grace_seconds: Int?

    public init(grace_seconds: Int? = nil) {
        self.grace_seconds = grace_seconds
    }
}

/// A new agency token, shown once, and when the old one ends.
public struct TokenRotationReply: Codable, Sendable {
    public var agency_id: Int64
    public var token: String
    /// When the previous token stops working; null when it already has.
    public var previous_token_expires_at: OrNull<String>

    public init(agency_id: Int64, token: String, previous_token_expires_at: String?) {
        self.agency_id = agency_id
        self.token = token
        self.previous_token_expires_at = OrNull(previous_token_expires_at)
    }
}
