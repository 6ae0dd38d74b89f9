import Crypto
import Foundation

/// The dashboard's session ids and the CSRF tokens of its forms.
///
/// A session id is a random token held only by the browser (in an HttpOnly cookie); the server keeps
/// its SHA-256 digest. A form's CSRF token is an HMAC of a fixed label under the session id: the
/// server can compute it again from the cookie alone, another site can neither read the cookie nor
/// compute the token, and nothing more needs storing.
public enum SessionSecrets {
    /// A new session id (~256 bits, from the system CSPRNG).
    public static func newSessionID() -> String {
        Secrets.newToken(prefix: "session")
    }

    /// The CSRF token that forms of this session carry.
    public static func csrfToken(forSession sessionID: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("agency-snapshots dashboard csrf".utf8), using: SymmetricKey(data: Array(sessionID.utf8)))
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A key that lives as long as the process, for `tag(_:key:)`.
    public static func newProcessKey() -> [UInt8] {
        SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    /// An HMAC of `value` under `key`, URL-safe: proves the server wrote `value` (a sign-in nonce).
    public static func tag(_ value: String, key: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(value.utf8), using: SymmetricKey(data: key))
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether a form's token is this session's, compared in constant time.
    public static func csrfMatches(_ token: String?, session sessionID: String?) -> Bool {
        guard let token, let sessionID, !sessionID.isEmpty else { return false }
        return Secrets.constantTimeEquals(Array(token.utf8), Array(csrfToken(forSession: sessionID).utf8))
    }
}
