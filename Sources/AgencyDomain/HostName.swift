import Foundation

/// A custom domain's host name as an agency types it: DNS letters, digits and hyphens in dot-separated
/// labels (RFC 1035 §2.3.1, RFC 1123's leading digit), at least two labels, no port, no trailing dot,
/// kept in lower case. An IP address is not a domain.
public enum HostName {
    public static func validated(_ text: String?, field: String = "host") throws -> String {
        var host = (text ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let isLabel: (Substring) -> Bool = { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }
        }
        // The TXT record's name (`DomainVerification.recordName`) must fit DNS's 253 bytes too.
        guard host.utf8.count <= 253 - DomainVerification.recordName(for: "").utf8.count, labels.count >= 2, labels.allSatisfy(isLabel),
              let top = labels.last, !top.allSatisfy(\.isNumber)
        else {
            throw DomainError.invalid(field: field, message: "A domain is a host name such as app.example.com: letters, digits, hyphens and dots, no port.")
        }
        return host
    }

    /// The host a request names in its `Host` header, in lower case without its port; nil when it is
    /// not a host name at all (such a request is served as the service's own host).
    public static func fromHeader(_ header: String?) -> String? {
        guard var value = header?.lowercased(), !value.isEmpty else { return nil }
        if let colon = value.lastIndex(of: ":"), !value.hasPrefix("[") { value = String(value[..<colon]) }
        return try? validated(value)
    }
}
