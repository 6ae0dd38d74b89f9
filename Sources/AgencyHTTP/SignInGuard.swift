import AgencyDomain
import Synchronization

/// The sign-ins the throttle guards, named as the metrics label them.
enum SignInSurface: String, Sendable {
    /// `POST /v1/login`.
    case api
    /// The client's form, `POST /login`.
    case client
    /// The agency's form, `POST /dashboard/sign-in` (a token, no username).
    case agency
}

/// The one place every sign-in goes through: refuses at once (429 `too_many_attempts` with
/// `Retry-After`) a username or an address that failed too often, counts failures, clears a
/// username after its good sign-in, and counts refusals, throttled or `busy` (the password queue was
/// full), in the metrics. A refusal never holds the connection open.
struct SignInGuard: Sendable {
    let usernames: SignInThrottle
    let addresses: SignInThrottle
    let inFlight: SignInsInFlight

    init(limits: SignInLimits) {
        usernames = SignInThrottle(
            freeFailures: limits.freeFailuresPerUsername, firstDelaySeconds: limits.firstDelaySeconds, maxDelaySeconds: limits.maxDelaySeconds,
            capacity: limits.maxTracked
        )
        addresses = SignInThrottle(
            freeFailures: limits.freeFailuresPerAddress, firstDelaySeconds: limits.firstDelaySeconds, maxDelaySeconds: limits.maxDelaySeconds,
            capacity: limits.maxTracked
        )
        inFlight = SignInsInFlight(perAddress: limits.concurrentPerAddress)
    }

    /// Runs `signIn` unless a wait is due. `unauthorized` from it counts as a failure of `username`
    /// (if any) and of `address`; success clears `username`. The address is not cleared by a
    /// success: one good account must not buy an address fresh guesses at others.
    func attempt<T>(
        _ surface: SignInSurface, username: String?, from address: ClientAddress, _ signIn: () async throws -> T
    ) async throws -> T {
        let userKey = username.map(Self.key(forUsername:))
        let waits = [userKey.flatMap { usernames.retryAfter($0) }, addresses.retryAfter(address.key)].compactMap { $0 }
        if let wait = waits.max() {
            ServiceMetrics.signInRefused(surface: surface, reason: "throttled")
            throw DomainError.tooManyAttempts(retryAfter: wait)
        }
        // One host gets a few places in the password queue, not all of them; trying for more counts
        // as failing, so a flood from one address soon waits like guessing does.
        guard inFlight.enter(address.key) else {
            addresses.failed(address.key)
            ServiceMetrics.signInRefused(surface: surface, reason: "busy")
            throw DomainError.busy(retryAfter: 1)
        }
        defer { inFlight.leave(address.key) }
        do {
            let result = try await signIn()
            if let userKey { usernames.clear(userKey) }
            return result
        } catch DomainError.unauthorized(let hint) {
            if let userKey { usernames.failed(userKey) }
            addresses.failed(address.key)
            throw DomainError.unauthorized(hint: hint)
        } catch DomainError.busy(let seconds) {
            ServiceMetrics.signInRefused(surface: surface, reason: "busy")
            throw DomainError.busy(retryAfter: seconds)
        }
    }

    /// Whether `error` refused a sign-in before its password was checked (429 or 503).
    static func isRefusal(_ error: any Error) -> Bool {
        switch error as? DomainError {
        case .tooManyAttempts?, .busy?: true
        default: false
        }
    }

    /// Usernames are counted case-blind and cut short: a megabyte of name is one key of bounded size.
    static func key(forUsername username: String) -> String {
        String(username.lowercased().prefix(128))
    }
}

/// Sign-ins being checked per client address. Holds only addresses with one in flight, so its size is
/// bounded by the connections the server takes.
final class SignInsInFlight: Sendable {
    let perAddress: Int
    private let counts = Mutex<[String: Int]>([:])

    init(perAddress: Int) {
        self.perAddress = max(1, perAddress)
    }

    /// Takes a place for `key`; false when it already has `perAddress`.
    func enter(_ key: String) -> Bool {
        counts.withLock { counts in
            let count = counts[key, default: 0]
            guard count < perAddress else { return false }
            counts[key] = count + 1
            return true
        }
    }

    func leave(_ key: String) {
        counts.withLock { counts in
            let count = counts[key, default: 1] - 1
            counts[key] = count > 0 ? count : nil
        }
    }

    var count: Int { counts.withLock { $0.count } }
}
