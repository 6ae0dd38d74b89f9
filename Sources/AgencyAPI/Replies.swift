/// A per-account API token, shown once.
public struct TokenReply: Codable, Sendable {
    public var account_id: Int64
    public var token: String
    /// The token's id, which lists and revokes it; absent from replies of older services.
    public var id: Int64?

    public init(account_id: Int64, token: String, id: Int64? = nil) {
        self.account_id = account_id
        self.token = token
        self.id = id
    }
}

/// What applying a bundle changed.
public struct BundleAppliedBody: Codable, Sendable {
    public var created: Int
    public var updated: Int
    public var deleted: Int

    public init(created: Int, updated: Int, deleted: Int) {
        self.created = created
        self.updated = updated
        self.deleted = deleted
    }
}

/// Every agency API error: `{"error": {"code", "message", "field"?}}`.
public struct ErrorReply: Codable, Sendable {
    public struct Detail: Codable, Sendable {
        public var code: String
        public var message: String
        public var field: String?
    }

    public var error: Detail

    public init(code: String, message: String, field: String?) {
        error = Detail(code: code, message: message, field: field)
    }
}
