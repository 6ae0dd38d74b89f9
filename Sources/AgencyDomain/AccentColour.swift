import Foundation

/// An agency's accent colour: `#rrggbb` and nothing else, so it can be written into CSS as it is.
public enum AccentColour {
    /// The colour in lower case, or 422 naming `field`.
    public static func validated(_ text: String, field: String = "accent") throws -> String {
        let lower = text.trimmingCharacters(in: .whitespaces).lowercased()
        let hexDigits = lower.utf8.dropFirst()
        guard lower.utf8.count == 7, lower.first == "#", hexDigits.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw DomainError.invalid(field: field, message: "An accent colour is written #rrggbb, e.g. #1f6feb.")
        }
        return lower
    }
}
