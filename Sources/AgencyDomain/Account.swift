import Foundation

/// One marketing workspace of an agency.
public struct Account: Equatable, Sendable {
    public var id: Int64
    public var agencyID: Int64
    public var name: String
    public var kind: AccountKind
    public var limits: AccountLimits
    public var usage: AccountUsage
    public var createdAt: String
    /// The snapshot it was made from, kept after that snapshot is deleted.
    public var source: AccountSource?

    public init(
        id: Int64, agencyID: Int64, name: String, kind: AccountKind, limits: AccountLimits, usage: AccountUsage,
        createdAt: String, source: AccountSource? = nil
    ) {
        self.id = id
        self.agencyID = agencyID
        self.name = name
        self.kind = kind
        self.limits = limits
        self.usage = usage
        self.createdAt = createdAt
        self.source = source
    }
}

/// What an account has used of its limits.
public struct AccountUsage: Equatable, Sendable {
    public var contacts: Int
    public var sends: Int

    public init(contacts: Int, sends: Int) {
        self.contacts = contacts
        self.sends = sends
    }
}

/// Login credentials as handed out once, at creation. Only the password's hash is ever stored.
public struct Credentials: Equatable, Sendable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// A window into a long list. Defaults and bounds follow ActiveCampaign's API v3.
public struct Page: Equatable, Sendable {
    public static let defaultLimit = 20
    public static let maximumLimit = 100

    public var limit: Int
    public var offset: Int

    /// Clamps what a caller asked for into the allowed range.
    public init(limit: Int? = nil, offset: Int? = nil) {
        self.limit = min(max(limit ?? Self.defaultLimit, 1), Self.maximumLimit)
        self.offset = max(offset ?? 0, 0)
    }
}

/// Validates an account or agency name.
public enum AccountName {
    public static func validated(_ name: String?, field: String = "name") throws -> String {
        let trimmed = (name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw DomainError.invalid(field: field, message: "A name is required.") }
        try ControlCharacters.check(trimmed, field: field)
        guard trimmed.count <= 200 else { throw DomainError.invalid(field: field, message: "A name has at most 200 characters.") }
        return trimmed
    }
}
