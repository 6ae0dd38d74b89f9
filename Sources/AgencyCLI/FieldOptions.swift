/// Which CLI option (or environment variable) supplies which field of a request. The service names
/// the request field it refused (`credentials.secret`); a person typed `--secret`, so the line they
/// read names that instead.
struct FieldOptions: Sendable {
    /// Request field → how the CLI takes it, e.g. "credentials.secret" → "--secret (or $AGENCY_CONNECTION_SECRET)".
    var options: [String: String]

    init(_ options: [String: String]) {
        self.options = options
    }

    static let none = FieldOptions([:])

    /// The option that supplied `field`: by its whole name, else by the name before an index or a
    /// dot (`lists[2].remote_list` → `lists`), as a repeated option supplies a whole list.
    func option(for field: String) -> String? {
        if let option = options[field] { return option }
        let base = String(field.prefix { $0 != "[" && $0 != "." })
        return options[base]
    }

    /// The service's message, with the quoted field replaced by the option that supplied it, or
    /// led by that option when the message does not quote the field.
    func message(_ message: String, field: String?) -> String {
        guard let field, let option = option(for: field) else { return message }
        let quoted = "'\(field)'"
        if message.contains(quoted) { return message.replacingOccurrences(of: quoted, with: option) }
        return "\(option): \(message)"
    }
}
