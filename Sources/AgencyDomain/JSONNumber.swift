/// JSON numbers arrive as `Double`. Only integers of at most 2^53 in magnitude survive that exactly,
/// so anything larger would be stored as some other number: it is refused instead of converted
/// (a conversion of 1e19 to `Int64` would also stop the process).
public enum JSONNumber {
    /// The largest magnitude a `Double` holds exactly as an integer.
    public static let exactIntegerLimit: Double = 9_007_199_254_740_992

    /// The integer `number` names, or nil when it has a fraction or is too large to be exact.
    public static func exactInteger(_ number: Double) -> Int64? {
        guard number.rounded() == number, abs(number) <= exactIntegerLimit else { return nil }
        return Int64(exactly: number)
    }

    /// `number` written as text (`3`, `2.5`), or nil when it cannot be written without loss.
    public static func text(_ number: Double) -> String? {
        if let integer = exactInteger(number) { return String(integer) }
        guard number.isFinite, number.rounded() != number else { return nil }
        return String(number)
    }
}
