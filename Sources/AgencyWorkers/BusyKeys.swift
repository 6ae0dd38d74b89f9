import Synchronization

/// The queues (webhooks, connections) that have a task under way, so that a poll does not start one twice.
final class BusyKeys<Key: Hashable & Sendable>: Sendable {
    private let keys = Mutex<Set<Key>>([])

    /// True when `key` was free and is now taken.
    func claim(_ key: Key) -> Bool { keys.withLock { $0.insert(key).inserted } }

    func release(_ key: Key) { _ = keys.withLock { $0.remove(key) } }
}
