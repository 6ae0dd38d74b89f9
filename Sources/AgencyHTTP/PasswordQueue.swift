import AgencyDomain
import NIOPosix
import Synchronization

/// Where bcrypt work waits for a thread: at most `workers` hashes run at once, and at most
/// `signInQueue` sign-ins wait for one. A sign-in that finds the queue full is refused at once with
/// `DomainError.busy`, so a flood of guesses cannot make every sign-in behind it wait without bound.
///
/// Provisioning (new accounts and their passwords, behind the agency token) waits in a lane of its
/// own that is never refused and goes ahead of waiting sign-ins: a flood of unauthenticated guesses
/// must not fail or starve the agency's own work, and a provisioning request whose hash were refused
/// would have to be retried by every caller. That lane is bounded by the agency's own requests.
public final class PasswordQueue: Sendable {
    /// Who is asking: sign-ins can be refused, provisioning only waits.
    enum Lane { case signIn, provisioning }

    public let workers: Int
    public let signInQueue: Int
    private let state: Mutex<State>

    private struct State: ~Copyable {
        var running = 0
        var provisioning: [CheckedContinuation<Void, any Error>] = []
        var signIns: [CheckedContinuation<Void, any Error>] = []
    }

    /// `workers` nil: one per thread of NIO's blocking pool, where the hashes run.
    public init(workers: Int? = nil, signInQueue: Int) {
        self.workers = max(1, workers ?? NIOThreadPool.singleton.numberOfThreads)
        self.signInQueue = max(0, signInQueue)
        self.state = Mutex(State())
    }

    /// Runs `work` once a worker is free. Throws `busy` for a sign-in when the queue is full.
    func run<T: Sendable>(_ lane: Lane, _ work: @Sendable () async throws -> T) async throws -> T {
        try await acquire(lane)
        defer { release() }
        return try await work()
    }

    /// Takes a worker, waiting in `lane`'s queue if none is free. Decided under one lock, so the
    /// queue never holds more sign-ins than it takes.
    func acquire(_ lane: Lane) async throws {
        enum Decision { case go, queued, refuse }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let decision: Decision = state.withLock { state in
                if state.running < workers {
                    state.running += 1
                    return .go
                }
                switch lane {
                case .provisioning:
                    state.provisioning.append(continuation)
                    return .queued
                case .signIn:
                    guard state.signIns.count < signInQueue else { return .refuse }
                    state.signIns.append(continuation)
                    return .queued
                }
            }
            switch decision {
            case .go: continuation.resume()
            case .refuse: continuation.resume(throwing: DomainError.busy(retryAfter: 1))
            case .queued: break
            }
        }
    }

    /// Hands the worker to the next waiter, provisioning first, or frees it.
    func release() {
        let next: CheckedContinuation<Void, any Error>? = state.withLock { state in
            if !state.provisioning.isEmpty { return state.provisioning.removeFirst() }
            if !state.signIns.isEmpty { return state.signIns.removeFirst() }
            state.running -= 1
            return nil
        }
        next?.resume()
    }

    /// Hashes running and waiting, for tests and the benchmark.
    var load: (running: Int, waitingSignIns: Int, waitingProvisioning: Int) {
        state.withLock { ($0.running, $0.signIns.count, $0.provisioning.count) }
    }
}
