import AgencyDomain
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt, run on NIO's blocking thread pool: a hash takes tens of milliseconds
/// and would otherwise stall every request sharing the event loop. Every hash first takes a place in
/// `queue`, which bounds how much of this work can wait.
struct PasswordHasher: Sendable {
    var cost: UInt8
    let queue: PasswordQueue
    private let decoys = DecoyHashes()

    init(cost: UInt8, queue: PasswordQueue = PasswordQueue(signInQueue: SignInLimits().hashQueue)) {
        self.cost = cost
        self.queue = queue
    }

    /// A new hash for a password being set (provisioning, or a rehash after a good sign-in): waits
    /// for a worker, never refused.
    func hash(_ password: String) async throws -> String {
        try await hash(password, lane: .provisioning)
    }

    /// Checks a sign-in's password; throws `busy` when the sign-in queue is full.
    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await queue.run(.signIn) {
            try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
        }
    }

    private func hash(_ password: String, lane: PasswordQueue.Lane) async throws -> String {
        let cost = self.cost
        return try await queue.run(lane) {
            try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
        }
    }

    /// Checked when a username does not exist, so that a wrong name costs as much as a wrong password.
    /// Its cost is the one new hashes get, and stored hashes are brought to that cost at their next
    /// login (`needsRehash`): both paths do the same work even after the cost is changed.
    func decoyHash() async throws -> String {
        if let decoy = decoys.hash(cost: cost) { return decoy }
        let decoy = try await hash(Secrets.newPassword(), lane: .signIn)
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
