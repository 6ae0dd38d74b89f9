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
