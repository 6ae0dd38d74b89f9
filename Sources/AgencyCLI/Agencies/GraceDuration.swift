import AgencyStorage
import Foundation

/// A grace period as people write it: `90s`, `30m`, `1h`, `2d`, or a number of seconds.
enum GraceDuration {
    static func seconds(_ text: String) throws -> TimeInterval {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let unit = trimmed.last.flatMap { units[$0] }
        let number = unit == nil ? trimmed : String(trimmed.dropLast())
        guard let count = Int(number), count >= 0 else {
            throw CLIError("--grace '\(text)' is not a duration; write e.g. 90s, 30m, 1h or 2d.")
        }
        let seconds = Double(count) * (unit ?? 1)
        guard seconds <= AppDatabase.maximumTokenGrace else {
            throw CLIError("--grace '\(text)' is longer than 30 days, the longest grace period.")
        }
        return seconds
    }
}
