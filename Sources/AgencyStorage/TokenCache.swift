import Foundation

/// Token digests seen recently and whom they open. Every API request starts with this lookup; a hit
/// skips the database. Only found tokens are kept, for 30 seconds, and deleting an account empties the
/// cache, so a deleted account's tokens stop working at once.
final class TokenCache: @unchecked Sendable {
    private struct Key: Hashable {
        var table: String
        var digest: [UInt8]
    }

    private let lock = NSLock()
    private var entries: [Key: (owner: Int64, expires: UInt64)] = [:]
    private let lifetime: UInt64 = 30_000_000_000
    private let capacity = 10_000

    /// The owner of `digest` in `table`, from the cache or else from `load`.
    func owner(table: String, digest: [UInt8], load: () throws -> Int64?) rethrows -> Int64? {
        let key = Key(table: table, digest: digest)
        let now = DispatchTime.now().uptimeNanoseconds
        if let hit = lock.withLock({ entries[key] }), hit.expires > now { return hit.owner }
        guard let owner = try load() else { return nil }
        lock.withLock {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (owner, now + lifetime)
        }
        return owner
    }

    func removeAll() {
        lock.withLock { entries.removeAll() }
    }
}
