import Crypto

/// What erasure leaves of a contact: every personal value reads `DELETED`, and the email becomes an
/// address that is unique in the account and can never be delivered (`.invalid` is reserved for
/// that, RFC 2606).
public enum ContactErasure {
    public static let deleted = "DELETED"

    public static func placeholderEmail(contactID: Int64) -> String {
        "deleted-\(contactID)@erased.invalid"
    }

    /// The SHA-256 of the account and the lower-cased address: enough to recognise the address when
    /// an import brings it again, without keeping it.
    public static func emailDigest(_ email: String, accountID: Int64) -> [UInt8] {
        Array(SHA256.hash(data: Array("\(accountID):\(email.lowercased())".utf8)))
    }
}
