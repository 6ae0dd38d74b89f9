import Crypto
import Foundation

/// Seals connection credentials at rest with AES-256-GCM under the service's key (a file beside the
/// database, `agency serve --secret-key-file`). A sealed value is nonce, ciphertext and tag in one
/// blob; the connection's id is bound in as associated data, so a blob copied onto another
/// connection does not open.
public struct CredentialCipher: Sendable {
    /// The raw key; a `SymmetricKey` is made from it per use, since that type is not `Sendable`.
    let keyBytes: [UInt8]
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// A cipher over 32 bytes of key.
    public init(keyBytes: [UInt8]) throws {
        guard keyBytes.count == 32 else { throw DomainError.invalid(field: "secret_key", message: "The service's secret key must be 32 bytes.") }
        self.keyBytes = keyBytes
    }

    /// A cipher under a new random key, known to this process only.
    public static func random() -> CredentialCipher {
        CredentialCipher(unchecked: newKeyBytes())
    }

    init(unchecked keyBytes: [UInt8]) {
        self.keyBytes = keyBytes
    }

    /// A new random key (for tests, and for a key file made on first start).
    public static func newKeyBytes() -> [UInt8] {
        SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    public func seal(_ plaintext: [UInt8], binding connectionID: Int64) throws -> [UInt8] {
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: Array("connection:\(connectionID)".utf8))
        guard let combined = box.combined else { throw DomainError.invalid(field: "credentials", message: "Cannot seal the credentials.") }
        return Array(combined)
    }

    /// The plaintext, or nil when the blob was not sealed by this key for this connection.
    public func open(_ sealed: [UInt8], binding connectionID: Int64) -> [UInt8]? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed) else { return nil }
        return try? Array(AES.GCM.open(box, using: key, authenticating: Array("connection:\(connectionID)".utf8)))
    }

    public func seal(_ credentials: SyncCredentials, binding connectionID: Int64) throws -> [UInt8] {
        try seal(Array(try JSONEncoder().encode(credentials)), binding: connectionID)
    }

    public func openCredentials(_ sealed: [UInt8], binding connectionID: Int64) -> SyncCredentials? {
        open(sealed, binding: connectionID).flatMap { try? JSONDecoder().decode(SyncCredentials.self, from: Data($0)) }
    }
}
