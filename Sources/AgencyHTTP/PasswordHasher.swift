import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on NIO's blocking thread pool: a hash takes tens of milliseconds
/// and would otherwise stall every request sharing the event loop.
struct PasswordHasher: Sendable {
    var cost: UInt8

    /// Used when a username does not exist, so that a wrong name costs as long as a wrong password.
    static let decoyHash = Bcrypt.hash("decoy password that matches nothing", cost: 10)

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
