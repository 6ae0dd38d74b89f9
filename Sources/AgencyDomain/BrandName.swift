import Foundation

/// The name an agency shows its clients instead of the service's.
public enum BrandName {
    public static let maximumLength = 100

    public static func validated(_ name: String?, field: String = "display_name") throws -> String {
        let trimmed = (name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw DomainError.invalid(field: field, message: "A display name is required.") }
        try ControlCharacters.check(trimmed, field: field)
        guard trimmed.count <= maximumLength else {
            throw DomainError.invalid(field: field, message: "A display name has at most \(maximumLength) characters.")
        }
        return trimmed
    }
}
