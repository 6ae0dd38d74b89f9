import Foundation

/// Several names in one CSV cell (a contact's tags, its lists): separated by `|`, with `\|` and `\\`
/// standing for a bar or a backslash inside a name. Commas need no escape: CSV quoting carries them.
public enum CSVNameList {
    public static func split(_ cell: String) -> [String] {
        var names: [String] = []
        var current = ""
        var escaped = false
        for character in cell {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                names.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        names.append(current)
        return names.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public static func join(_ names: [String]) -> String {
        names.map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|") }.joined(separator: "|")
    }
}
