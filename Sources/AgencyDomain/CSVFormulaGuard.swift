/// Keeps spreadsheets from running what a user typed. Excel, LibreOffice and Google Sheets evaluate a
/// cell that begins with `=`, `+`, `-` or `@` (and some also after a tab or a CR) as a formula, so a
/// contact named `=HYPERLINK(…)` would become a live link in the agency's spreadsheet. As OWASP's
/// CSV-injection advice says, such a cell is written behind a `'`, which spreadsheets show as text.
///
/// The rule is lossless: a value that already begins with apostrophes before a formula character
/// gets one more, and reading takes exactly one away, so `unprotect(protect(v)) == v` for every `v`.
public enum CSVFormulaGuard {
    static let formulaStarts: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]
    static let apostrophe = UInt8(ascii: "'")

    /// The value as a cell that no spreadsheet evaluates.
    public static func protect(_ value: String) -> String {
        needsApostrophe(value.utf8, apostrophes: 0) ? "'" + value : value
    }

    /// The value a protected cell stands for.
    public static func unprotect(_ cell: String) -> String {
        needsApostrophe(cell.utf8, apostrophes: 1) ? String(cell.dropFirst()) : cell
    }

    /// Whether `text` is at least `apostrophes` apostrophes followed by a formula character.
    static func needsApostrophe(_ text: String.UTF8View, apostrophes: Int) -> Bool {
        var leading = 0
        for byte in text {
            if byte == apostrophe { leading += 1; continue }
            return leading >= apostrophes && formulaStarts.contains(byte)
        }
        return false
    }
}
