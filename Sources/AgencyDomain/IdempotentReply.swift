import Crypto
import Foundation

/// What a retry with the same Idempotency-Key needs to answer as the first request did. The account
/// is read again from the database; only its password, shown once, cannot be, so that alone is kept,
/// sealed (AES-GCM) under a key derived from the caller's API token and the idempotency key: the
/// database holds neither, so it cannot open it.
public enum IdempotentReply {
    /// What identifies a request: its canonical bytes, hashed.
    public static func requestDigest(_ canonicalRequest: some Sequence<UInt8>) -> [UInt8] {
        Array(SHA256.hash(data: Array(canonicalRequest)))
    }

    public static func seal(password: String, token: String, idempotencyKey: String) throws -> Data {
        let box = try AES.GCM.seal(Data(password.utf8), using: key(token: token, idempotencyKey: idempotencyKey))
        guard let sealed = box.combined else { throw SealingFailed() }
        return sealed
    }

    /// The password, or nil when it was sealed under another token (or was tampered with).
    public static func openPassword(_ sealed: Data, token: String, idempotencyKey: String) -> String? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
              let opened = try? AES.GCM.open(box, using: key(token: token, idempotencyKey: idempotencyKey))
        else { return nil }
        // Keys stored before 2026-11-29 sealed the whole first reply; its credentials hold the password.
        if let reply = try? JSONDecoder().decode(LegacyReply.self, from: opened) { return reply.credentials.password }
        return String(decoding: opened, as: UTF8.self)
    }

    private struct LegacyReply: Decodable {
        struct Credentials: Decodable { var password: String }
        var credentials: Credentials
    }

    /// AES-GCM with a 12-byte nonce always has a combined form; this is never expected.
    public struct SealingFailed: Error {}

    static func key(token: String, idempotencyKey: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(token.utf8)),
            info: Array("agency-snapshots idempotent reply\u{0}\(idempotencyKey)".utf8),
            outputByteCount: 32
        )
    }

    /// Keys are short opaque strings chosen by the caller, as with Stripe's `Idempotency-Key`.
    public static func validatedKey(_ key: String) throws -> String {
        guard (1...255).contains(key.count), key.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw DomainError.invalid(field: "Idempotency-Key", message: "An Idempotency-Key is 1 to 255 printable ASCII characters, without spaces.")
        }
        return key
    }
}
