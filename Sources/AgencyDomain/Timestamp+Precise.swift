import Foundation

extension Timestamp {
    /// With milliseconds, e.g. `2026-11-23T19:32:05.250Z`: for pauses that a `Retry-After` of one
    /// second must not cut short. Only compared with others of the same form.
    public static func precise(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
