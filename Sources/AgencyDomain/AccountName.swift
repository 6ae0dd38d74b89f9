import Foundation

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
