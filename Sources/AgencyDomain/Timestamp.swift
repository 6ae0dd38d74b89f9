import Foundation

/// Times are stored and shown as ISO 8601 in UTC, e.g. `2026-11-23T19:32:05Z`.
public enum Timestamp {
    public static func string(from date: Date) -> String {
        date.formatted(.iso8601)
    }

    public static func now() -> String {
        string(from: Date())
    }
}
