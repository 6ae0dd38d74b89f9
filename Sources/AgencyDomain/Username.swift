/// Login names: a readable stem from the account name, plus a random suffix that makes them unique.
public enum Username {
    /// `"Fitness Studio Zürich!"` becomes `fitness-studio-z-rich-k3q9x2`.
    public static func make(fromAccountName name: String) -> String {
        var stem = ""
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                stem.unicodeScalars.append(scalar)
            } else if !stem.isEmpty, stem.last != "-" {
                stem.append("-")
            }
        }
        while stem.last == "-" { stem.removeLast() }
        if stem.isEmpty { stem = "account" }
        let suffix = Secrets.randomString(length: 6, alphabet: Array("abcdefghijkmnpqrstuvwxyz23456789"))
        return String(stem.prefix(32)) + "-" + suffix
    }
}
