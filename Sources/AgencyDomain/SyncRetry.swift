import Foundation

/// What the delivery worker does with a remote tool's answer.
public enum SyncOutcome: Equatable, Sendable {
    /// 2xx: the remote has the contact's state.
    case delivered
    /// 429: the remote asks everyone to wait; the whole connection pauses this long.
    case rateLimited(retryAfter: TimeInterval?)
    /// 5xx: tried again after a backoff; given up on this contact after `SyncRetryPolicy.maxAttempts`.
    case serverError(String)
    /// No answer (refused, reset, timed out): tried again after a backoff, never given up.
    case unreachable(String)
    /// 401 or 403: the credentials are wrong; no contact is to blame, the connection pauses.
    case unauthorized(String)
    /// Any other 4xx: retrying cannot fix it. The contact is marked failed with the remote's message.
    case rejected(String)

    /// Classifies an HTTP answer; `message` is the remote's own text (Brevo's `message`), kept short.
    public static func classify(status: Int, retryAfter: String?, message: String) -> SyncOutcome {
        let text = "HTTP \(status)" + (message.isEmpty ? "" : ": " + String(message.prefix(500)))
        switch status {
        case 200..<300: return .delivered
        case 429: return .rateLimited(retryAfter: retryAfter.flatMap { SyncRetryPolicy.parseRetryAfter($0) })
        case 401, 403: return .unauthorized(text)
        case 400..<500: return .rejected(text)
        default: return .serverError(text)
        }
    }
}

/// How long to wait, and when to give up. Delays are settings so that tests run in milliseconds.
public struct SyncRetryPolicy: Sendable, Equatable {
    /// A contact that met this many 5xx answers in a row is marked failed and the rest go on.
    public var maxAttempts: Int
    /// The first backoff; it doubles with each failure in a row, up to `maxDelay`.
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval
    /// The longest `Retry-After` honoured (a remote asking for a day is waited out by the budget instead).
    public var maxRetryAfter: TimeInterval
    /// How long a request may take before it counts as no answer.
    public var requestTimeout: TimeInterval

    public init(maxAttempts: Int = 8, baseDelay: TimeInterval = 1, maxDelay: TimeInterval = 3_600, maxRetryAfter: TimeInterval = 3_600, requestTimeout: TimeInterval = 15) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.requestTimeout = requestTimeout
    }

    /// base, 2·base, 4·base … after the 1st, 2nd, 3rd failure in a row; at most `maxDelay`.
    public func delay(afterFailures failures: Int) -> TimeInterval {
        min(maxDelay, baseDelay * pow(2, Double(min(max(failures - 1, 0), 40))))
    }

    /// The pause a 429 asks for: its `Retry-After`, capped, or the backoff when it gave none.
    public func pause(retryAfter: TimeInterval?, failures: Int) -> TimeInterval {
        retryAfter.map { min(max($0, 0), maxRetryAfter) } ?? delay(afterFailures: failures)
    }

    /// `Retry-After` as seconds, or as an HTTP date (RFC 9110); nil when it is neither.
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> TimeInterval? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(text), seconds >= 0 { return TimeInterval(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text).map { max(0, $0.timeIntervalSince(now)) }
    }
}

/// The daily API-call budget's window: a UTC calendar day.
public enum SyncBudgetWindow {
    /// The day a call made at `date` counts against, e.g. `2026-12-03`.
    public static func day(of date: Date) -> String {
        String(Timestamp.string(from: date).prefix(10))
    }

    /// When the window after the one holding `date` opens: the next midnight, UTC.
    public static func nextWindow(after date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.startOfDay(for: date)
        return calendar.date(byAdding: .day, value: 1, to: start) ?? date.addingTimeInterval(86_400)
    }
}
