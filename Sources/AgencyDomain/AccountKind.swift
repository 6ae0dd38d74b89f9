/// What an account is for. A sandbox is the agency's workshop; trial and paid accounts belong to clients.
public enum AccountKind: String, Codable, Sendable, CaseIterable {
    case sandbox
    case trial
    case paid

    /// A client account can never become a sandbox, and a sandbox is never upgraded in place
    /// (a paid account is made from a snapshot of it instead). Trial to paid is an ordinary upgrade.
    public func canChange(to other: AccountKind) -> Bool {
        (self == .sandbox) == (other == .sandbox)
    }
}
