import HTTPTypes
import Synchronization

/// Readers send requests with a token in a loop while `revoke` ends it. A request is counted "after"
/// only if it started after `revoke` returned, so `succeededAfter` must be 0.
enum ConcurrentRevocation {
    struct Outcome: Sendable {
        var succeededBefore = 0
        var succeededAfter = 0
        var refusedAfter = 0
    }

    /// What the tasks share: whether the revocation has returned, and the counts.
    final class Shared: Sendable {
        let revoked = Atomic<Bool>(false)
        let successes = Atomic<Int>(0)
        let outcome = Mutex(Outcome())
    }

    static func run(
        readers: Int, requestsAfter: Int = 20, request: @escaping @Sendable () async throws -> HTTPResponse.Status,
        revoke: @escaping @Sendable () async throws -> Void
    ) async throws -> Outcome {
        let shared = Shared()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<readers {
                group.addTask {
                    var after = 0
                    while after < requestsAfter {
                        let startedAfterRevoke = shared.revoked.load(ordering: .sequentiallyConsistent)
                        let status = try await request()
                        if status == .ok { shared.successes.add(1, ordering: .sequentiallyConsistent) }
                        shared.outcome.withLock { outcome in
                            switch (startedAfterRevoke, status == .ok) {
                            case (false, true): outcome.succeededBefore += 1
                            case (true, true): outcome.succeededAfter += 1
                            case (true, false): outcome.refusedAfter += 1
                            case (false, false): break
                            }
                        }
                        if startedAfterRevoke { after += 1 }
                    }
                }
            }
            group.addTask {
                // Revoke only once readers are under way, so some requests race the revocation.
                while shared.successes.load(ordering: .sequentiallyConsistent) < readers * 3 { await Task.yield() }
                try await revoke()
                shared.revoked.store(true, ordering: .sequentiallyConsistent)
            }
            try await group.waitForAll()
        }
        return shared.outcome.withLock { $0 }
    }
}
