import Synchronization

/// Failed sign-ins counted per key (a username, or a client address): after `freeFailures` of them
/// each failure earns a wait that doubles from `firstDelay` up to `maxDelay`, and an attempt during the
/// wait is refused at once, before any password work. A key idle for `forgetAfter` starts afresh.
///
/// Kept in memory and bounded: at most `capacity` keys; past that, forgotten keys are swept and then
/// the tenth that failed longest ago goes. Several replicas would each count on their own; they would
/// share these counts through a table in the database (not needed while one process serves).
final class SignInThrottle: Sendable {
    struct Entry {
        var failures: Int
        var lastFailure: ContinuousClock.Instant
        var blockedUntil: ContinuousClock.Instant?
    }

    let freeFailures: Int
    let firstDelay: Duration
    let maxDelay: Duration
    let capacity: Int
    let forgetAfter: Duration
    private let entries = Mutex<[String: Entry]>([:])

    init(freeFailures: Int, firstDelaySeconds: Int = 1, maxDelaySeconds: Int, capacity: Int) {
        self.freeFailures = max(0, freeFailures)
        self.firstDelay = .seconds(max(1, firstDelaySeconds))
        self.maxDelay = max(.seconds(max(1, maxDelaySeconds)), firstDelay)
        self.capacity = max(1, capacity)
        // Long enough that waiting out one delay does not also wipe the count.
        self.forgetAfter = max(.seconds(15 * 60), self.maxDelay * 2)
    }

    /// Whole seconds until `key` may try again, or nil when it may now.
    func retryAfter(_ key: String, now: ContinuousClock.Instant = .now) -> Int? {
        entries.withLock { entries in
            guard let until = entries[key]?.blockedUntil, until > now else { return nil }
            return Self.wholeSeconds(until - now)
        }
    }

    /// Counts a failure of `key`, and starts its wait once the free failures are used up.
    func failed(_ key: String, now: ContinuousClock.Instant = .now) {
        entries.withLock { entries in
            var entry = entries[key].flatMap { now - $0.lastFailure > forgetAfter ? nil : $0 }
                ?? Entry(failures: 0, lastFailure: now, blockedUntil: nil)
            if entries[key] == nil && entries.count >= capacity { makeRoom(in: &entries, now: now) }
            entry.failures += 1
            entry.lastFailure = now
            if entry.failures >= freeFailures {
                entry.blockedUntil = now + delay(afterFailures: entry.failures)
            }
            entries[key] = entry
        }
    }

    /// A good sign-in: its username starts afresh.
    func clear(_ key: String) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    /// The wait after `failures` failures: `firstDelay` at the last free one, doubling, at most `maxDelay`.
    func delay(afterFailures failures: Int) -> Duration {
        let doublings = failures - freeFailures
        guard doublings < 30 else { return maxDelay }
        return min(firstDelay * (1 << max(0, doublings)), maxDelay)
    }

    var count: Int { entries.withLock { $0.count } }

    private func makeRoom(in entries: inout [String: Entry], now: ContinuousClock.Instant) {
        entries = entries.filter { now - $0.value.lastFailure <= forgetAfter }
        if entries.count >= capacity { entries.dropOldestTenth(by: \.lastFailure) }
    }

    static func wholeSeconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}
