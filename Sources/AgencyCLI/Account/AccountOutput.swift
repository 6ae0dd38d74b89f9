import AgencyAPI

/// Lines for people, for accounts as the agency API returns them.
enum AccountOutput {
    static func summary(_ account: AccountBody) -> String {
        "\(account.kind) account \(account.id) \"\(account.name)\""
    }

    static func details(_ account: AccountBody) -> [String] {
        var lines = [summary(account)]
        let usage = [("contacts", account.usage.contacts, account.limits.contacts.value), ("sends", account.usage.sends, account.limits.sends.value)]
        for (name, used, limit) in usage {
            lines.append("  \(name): \(used) of \(limit.map(String.init) ?? "unlimited")")
        }
        lines.append("  created: \(account.created_at)")
        if let source = account.source.value {
            let deleted = source.snapshot_exists ? "" : "; that snapshot has since been deleted"
            lines.append("  from snapshot \(source.snapshot_id) \"\(source.snapshot_name)\" (\(source.digest))\(deleted)")
        }
        return lines
    }

    /// " from snapshot 3" for an account made from one, else nothing.
    static func origin(_ account: AccountBody) -> String {
        guard let source = account.source.value else { return "" }
        return " from snapshot \(source.snapshot_id) \"\(source.snapshot_name)\""
    }

    /// Credentials are printed once, with a warning, because the service will never show the password again;
    /// a retry with the same idempotency key (`replayed`) gets the first request's credentials again.
    static func credentials(_ account: AccountBody, replayed: Bool = false) -> [String] {
        guard let credentials = account.credentials else { return [] }
        return [
            replayed ? "Login credentials, as the first request got them:" : "Login credentials (the password is shown only this once, store it now):",
            "  login url: \(credentials.login_url)",
            "  username:  \(credentials.username)",
            "  password:  \(credentials.password)",
        ]
    }
}
