import AgencyDomain
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt, run on NIO's blocking thread pool: a hash takes tens of milliseconds
/// and would otherwise stall every request sharing the event loop.
struct PasswordHasher: Sendable {
    var cost: UInt8
    private let decoys = DecoyHashes()

    init(cost: UInt8) {
        self.cost = cost
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Checked when a username does not exist, so that a wrong name costs as much as a wrong password.
    /// Its cost is the one new hashes get, and stored hashes are brought to that cost at their next
    /// login (`needsRehash`): both paths do the same work even after the cost is changed.
    func decoyHash() async throws -> String {
        if let decoy = decoys.hash(cost: cost) { return decoy }
        let decoy = try await hash(Secrets.newPassword())
        decoys.store(decoy, cost: cost)
        return decoy
    }

    /// A stored hash made with another cost than the current one.
    func needsRehash(_ hash: String) -> Bool {
        Self.cost(of: hash) != cost
    }

    /// The cost written in a bcrypt hash (`$2b$12$…`).
    static func cost(of hash: String) -> UInt8? {
        let parts = hash.split(separator: "$")
        return parts.count >= 3 ? UInt8(parts[1]) : nil
    }
}

/// One decoy hash per cost, made once.
private final class DecoyHashes: Sendable {
    private let byCost = Mutex<[UInt8: String]>([:])

    func hash(cost: UInt8) -> String? { byCost.withLock { $0[cost] } }
    func store(_ hash: String, cost: UInt8) { byCost.withLock { $0[cost] = hash } }
}
