/// Caps on what an account may hold or send; `nil` means unlimited.
public struct AccountLimits: Equatable, Sendable {
    public var contacts: Int?
    public var sends: Int?

    public init(contacts: Int?, sends: Int?) {
        self.contacts = contacts
        self.sends = sends
    }

    /// A sandbox is a workshop, never a place for real customer data.
    public static let sandbox = AccountLimits(contacts: 100, sends: 100)
    public static let unlimited = AccountLimits(contacts: nil, sends: nil)

    public static func forKind(_ kind: AccountKind) -> AccountLimits {
        kind == .sandbox ? .sandbox : .unlimited
    }
}
