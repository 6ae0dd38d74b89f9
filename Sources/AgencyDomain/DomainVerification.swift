import Foundation

/// How an agency proves a custom domain is its own: it publishes the service's token as a TXT record
/// at a name under the domain, and the service reads it back over DNS.
public enum DomainVerification {
    /// The name to publish the TXT record at.
    public static func recordName(for host: String) -> String { "_agency-snapshots." + host }

    /// The TXT record's text.
    public static func recordValue(token: String) -> String { "agency-snapshots-verify=" + token }

    /// A fresh token: 128 random bits in lower-case base32-like letters, safe in a TXT record.
    public static func newToken() -> String {
        Secrets.randomString(length: 26, alphabet: Array("abcdefghijklmnopqrstuvwxyz234567"))
    }

    /// Whether any of the TXT strings found is the expected record.
    public static func proves(_ texts: [String], token: String) -> Bool {
        let expected = Array(recordValue(token: token).utf8)
        return texts.contains { Secrets.constantTimeEquals(Array($0.trimmingCharacters(in: .whitespaces).utf8), expected) }
    }
}
