import Crypto
import Foundation

/// Secrets handed to people once: API tokens and passwords, drawn from the system CSPRNG.
public enum Secrets {
    /// URL-safe alphabet without look-alikes is not needed for tokens; base62 keeps them copy-paste friendly.
    static let base62 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    static let passwordAlphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.!@#%+=")

    /// A new API token: a prefix saying what it opens, then 43 base62 characters (~256 bits).
    public static func newToken(prefix: String) -> String {
        prefix + "_" + randomString(length: 43, alphabet: base62)
    }

    /// A new login password of 24 characters (~145 bits).
    public static func newPassword() -> String {
        randomString(length: 24, alphabet: passwordAlphabet)
    }

    /// The SHA-256 digest under which a token is stored and looked up. A fast hash is safe here
    /// because the token itself carries the entropy; passwords get bcrypt instead.
    public static func digest(ofToken token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// Compares two byte strings in time that depends only on their lengths.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// Uniform over the alphabet: rejection sampling inside `random(in:)` avoids modulo bias.
    /// `SystemRandomNumberGenerator` reads the operating system's CSPRNG (getrandom on Linux).
    public static func randomString(length: Int, alphabet: [Character]) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
