import Foundation

/// Token digests seen recently and whom they open. Every API request starts with this lookup; a hit
/// skips the database and writes nothing. Only found tokens are kept, for 30 seconds (an agency token
/// in its grace period no longer than its end).
///
/// Revoking, rotating or deleting calls `invalidate()` after its transaction commits. A lookup that
/// read the database before that commit may still be running: it remembers the generation it began
/// in and stores its answer only if no invalidation happened since, so a token that has ended is
/// never put back into the cache.
final class TokenCache: @unchecked Sendable {
    private struct Key: Hashable {
        var table: String
        var digest: [UInt8]
    }

    private struct Entry {
        var owner: Int64
        /// Uptime after which the database is asked again.
        var cachedUntil: UInt64
        /// The token's own end (an agency token in its grace period), compared with the caller's clock.
        var tokenExpires: Date?
    }

    /// What a database lookup found.
    struct Loaded {
        var owner: Int64
        var expires: Date?
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var generation: UInt64 = 0
    private let lifetime: UInt64 = 30_000_000_000
    private let capacity = 10_000

    /// The owner of `digest` in `table` if it is cached and still valid at `now`, else nil.
    func cachedOwner(table: String, digest: [UInt8], now: Date) -> Int64? {
        let key = Key(table: table, digest: digest)
        let uptime = DispatchTime.now().uptimeNanoseconds
        return lock.withLock {
            guard let hit = entries[key], hit.cachedUntil > uptime else { return nil }
            if let end = hit.tokenExpires, end <= now {
                entries[key] = nil
                return nil
            }
            return hit.owner
        }
    }

    /// The generation a database lookup begins in; pass it to `store` afterwards.
    func currentGeneration() -> UInt64 {
        lock.withLock { generation }
    }

    /// Caches what a lookup begun in `generation` found, unless an invalidation happened since.
    func store(table: String, digest: [UInt8], _ loaded: Loaded, generation began: UInt64) {
        let key = Key(table: table, digest: digest)
        let uptime = DispatchTime.now().uptimeNanoseconds
        lock.withLock {
            guard generation == began else { return }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(owner: loaded.owner, cachedUntil: uptime + lifetime, tokenExpires: loaded.expires)
        }
    }

    /// The owner of `digest`, from the cache or else from `load`, cached as `store` does.
    func owner(table: String, digest: [UInt8], now: Date, load: () throws -> Loaded?) rethrows -> Int64? {
        if let owner = cachedOwner(table: table, digest: digest, now: now) { return owner }
        let began = currentGeneration()
        guard let loaded = try load() else { return nil }
        store(table: table, digest: digest, loaded, generation: began)
        return loaded.owner
    }

    /// Forgets every entry, and keeps lookups already under way from storing theirs. Called after a
    /// transaction that ends tokens has committed.
    func invalidate() {
        lock.withLock {
            generation &+= 1
            entries.removeAll()
        }
    }
}
