/// Human-readable lines for accounts as the agency API returns them.
enum AccountOutput {
    static func summary(_ account: [String: Any]) -> String {
        let id = account["id"].map { "\($0)" } ?? "?"
        let kind = account["kind"] as? String ?? "?"
        let name = account["name"] as? String ?? ""
        return "\(kind) account \(id) \"\(name)\""
    }

    static func details(_ account: [String: Any]) -> [String] {
        var lines = [summary(account)]
        let limits = account["limits"] as? [String: Any] ?? [:]
        let usage = account["usage"] as? [String: Any] ?? [:]
        for key in ["contacts", "sends"] {
            let used = usage[key].map { "\($0)" } ?? "0"
            let limit = (limits[key] as? Int).map { "\($0)" } ?? "unlimited"
            lines.append("  \(key): \(used) of \(limit)")
        }
        if let created = account["created_at"] as? String { lines.append("  created: \(created)") }
        if let source = account["source"] as? [String: Any] {
            lines.append("  from snapshot \(source["snapshot_id"] ?? "?") \"\(source["snapshot_name"] as? String ?? "")\" (\(source["digest"] as? String ?? ""))")
        }
        return lines
    }

    /// " from snapshot 3" for an account made from one, else nothing.
    static func origin(_ account: [String: Any]) -> String {
        guard let source = account["source"] as? [String: Any] else { return "" }
        return " from snapshot \(source["snapshot_id"] ?? "?") \"\(source["snapshot_name"] as? String ?? "")\""
    }

    /// Credentials are printed once, with a warning, because the service will never show the password again.
    static func credentials(_ account: [String: Any]) -> [String] {
        guard let credentials = account["credentials"] as? [String: Any] else { return [] }
        return [
            "Login credentials (the password is shown only this once, store it now):",
            "  login url: \(credentials["login_url"] as? String ?? "")",
            "  username:  \(credentials["username"] as? String ?? "")",
            "  password:  \(credentials["password"] as? String ?? "")",
        ]
    }
}
