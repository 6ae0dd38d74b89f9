import Crypto
import Foundation

/// The first reply to an idempotent request, kept so that a retry gets it again. It holds a
/// password shown once, so it is stored only sealed (AES-GCM) under a key derived from the
/// caller's API token and the idempotency key: the database holds neither, so it cannot open it.
public enum IdempotentReply {
    /// What identifies a request body: its canonical JSON, hashed. Key order and spacing don't count.
    public static func requestDigest(_ body: JSONValue) -> [UInt8] {
        Array(SHA256.hash(data: Array(body.canonicalText().utf8)))
    }

    public static func seal(_ reply: Data, token: String, idempotencyKey: String) throws -> Data {
        guard let sealed = try AES.GCM.seal(reply, using: key(token: token, idempotencyKey: idempotencyKey)).combined else {
            throw DomainError.conflict(code: "internal", message: "Could not seal the reply.")
        }
        return sealed
    }

    /// The reply, or nil when it was sealed under another token (or was tampered with).
    public static func open(_ sealed: Data, token: String, idempotencyKey: String) -> Data? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed) else { return nil }
        return try? AES.GCM.open(box, using: key(token: token, idempotencyKey: idempotencyKey))
    }

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
