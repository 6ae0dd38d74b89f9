import Foundation

/// A person in an account's audience.
public struct Contact: Equatable, Sendable {
    public var id: Int64
    public var email: String
    public var firstName: String
    public var lastName: String
    public var phone: String
    public var createdAt: String
    public var updatedAt: String

    public init(id: Int64, email: String, firstName: String, lastName: String, phone: String, createdAt: String, updatedAt: String) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The writable fields of a contact, validated.
public struct ContactDraft: Equatable, Sendable {
    public var email: String
    public var firstName: String
    public var lastName: String
    public var phone: String

    /// Trims every field and checks the email; `pointer` prefixes field names in errors.
    public init(email: String?, firstName: String?, lastName: String?, phone: String?, pointer: String = "contact") throws {
        for (name, value) in [("email", email), ("firstName", firstName), ("lastName", lastName), ("phone", phone)] {
            try ControlCharacters.check(value ?? "", field: "\(pointer).\(name)")
        }
        let email = (email ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !email.isEmpty else {
            throw DomainError.invalid(field: "\(pointer).email", message: "An email address is required.")
        }
        guard EmailAddress.isValid(email) else {
            throw DomainError.invalid(field: "\(pointer).email", message: "'\(email)' is not a valid email address.")
        }
        self.email = email
        self.firstName = (firstName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        self.lastName = (lastName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        self.phone = (phone ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
