/// Email address rules: what a contact's email must look like to be accepted.
public enum EmailAddress {
    /// A pragmatic check (one `@`, a dotted domain, no spaces), as marketing tools apply at import.
    /// Deliverability is the mail server's business, not ours.
    public static func isValid(_ email: String) -> Bool {
        guard email.count <= 254, !email.contains(where: { $0.isWhitespace }) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        // `.invalid` can never be delivered (RFC 2606), and erased contacts' placeholders live there.
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
            && labels.last?.lowercased() != "invalid"
    }
}
