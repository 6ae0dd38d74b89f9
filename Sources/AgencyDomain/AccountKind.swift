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

    /// The kind of a client account, from input: trial or paid. Sandboxes are made on their own,
    /// never from a snapshot and never by this path.
    public static func clientKind(_ text: String, field: String) throws -> AccountKind {
        guard let kind = AccountKind(rawValue: text), kind != .sandbox else {
            let hint = text == "sandbox" ? " A sandbox is created on its own (POST /v1/sandboxes, `agency sandbox create NAME`)." : ""
            throw DomainError.invalid(field: field, message: "'\(text)' is not a kind of client account; use trial or paid.\(hint)")
        }
        return kind
    }

    /// Any kind, from input, naming the field when it is not one.
    public static func parse(_ text: String, field: String) throws -> AccountKind {
        guard let kind = AccountKind(rawValue: text) else {
            throw DomainError.invalid(field: field, message: "'\(text)' is not a kind of account; use sandbox, trial or paid.")
        }
        return kind
    }
}
