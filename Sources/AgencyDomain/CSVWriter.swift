/// Writes RFC 4180 CSV: fields joined by commas, lines ended by CRLF, and a field quoted (its quotes
/// doubled) when it holds a comma, a quote, a line break, or spaces at either end that a reader
/// might trim. A field a spreadsheet would run as a formula is written as text (`CSVFormulaGuard`).
/// `CSVReader` reads back exactly what this writes.
public enum CSVWriter {
    public static func append(_ fields: [String], to bytes: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            append(field: field, to: &bytes)
        }
        bytes.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
    }

    static func append(field: String, to bytes: inout [UInt8]) {
        let utf8 = CSVFormulaGuard.protect(field).utf8
        let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
            || utf8.first == UInt8(ascii: " ") || utf8.last == UInt8(ascii: " ")
        guard needsQuotes else { return bytes.append(contentsOf: utf8) }
        bytes.append(UInt8(ascii: "\""))
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
