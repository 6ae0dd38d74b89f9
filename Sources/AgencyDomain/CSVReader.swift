/// One record of a CSV file: its fields, and the line of the file it starts on (a quoted field may
/// span lines, so records and lines are not the same count).
public struct CSVRecord: Equatable, Sendable {
    public var line: Int
    public var fields: [String]
    /// Why the record could not be read (invalid UTF-8, a quote never closed); nil when it was.
    public var problem: String?

    public init(line: Int, fields: [String], problem: String? = nil) {
        self.line = line
        self.fields = fields
        self.problem = problem
    }
}

/// Reads RFC 4180 CSV a piece at a time, so a file of any size is read in constant memory: feed it
/// bytes as they arrive, take the records they complete. A UTF-8 byte order mark is skipped; lines
/// may end in CRLF, LF or CR; quoted fields may hold commas, quotes (doubled) and line breaks. Blank
/// lines are skipped. A quote inside an unquoted field is kept as it is, as spreadsheets write it.
/// A field that `CSVWriter` protected from spreadsheets (`CSVFormulaGuard`) is read as its value.
public struct CSVReader: Sendable {
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var inQuotes = false
    /// The last byte was the closing quote of a quoted field (or the first of a doubled quote).
    private var quoteSeen = false
    private var fieldStarted = false
    private var previousByte: UInt8 = 0
    private var invalidText = false
    private var atStart = true
    private var bomBytes = 0
    private var line = 1
    private var recordLine = 1
    private var records: [CSVRecord] = []

    public init() {}

    /// The records the bytes complete; the rest waits for more bytes or `finish()`.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [CSVRecord] {
        for byte in bytes { consume(byte) }
        defer { records.removeAll(keepingCapacity: true) }
        return records
    }

    /// The last record, when the file does not end with a line break, or one left open by a quote.
    public mutating func finish() -> [CSVRecord] {
        if inQuotes {
            endField()
            records.append(CSVRecord(line: recordLine, fields: fields, problem: "a quoted value is never closed"))
            fields = []
        } else if fieldStarted || !fields.isEmpty {
            endRecord()
        }
        defer { records.removeAll() }
        return records
    }

    private mutating func consume(_ byte: UInt8) {
        if atStart, skipsByteOrderMark(byte) { return }
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        let afterCR = previousByte == cr
        previousByte = byte
        // A CR, an LF, or a CRLF is one line break, in quotes or not.
        if byte == cr || (byte == lf && !afterCR) { line += 1 }
        if inQuotes {
            if quoteSeen {
                quoteSeen = false
                if byte == quote { field.append(quote); return }  // a doubled quote
                inQuotes = false  // the quote closed the field; this byte is read outside it
            } else if byte == quote {
                quoteSeen = true
                return
            } else {
                field.append(byte)
                return
            }
        }
        switch byte {
        case comma:
            endField()
        case lf where afterCR:
            break  // the LF of a CRLF: the record ended at the CR
        case cr, lf:
            endRecord()
        case quote where !fieldStarted:
            inQuotes = true
            fieldStarted = true
        default:
            field.append(byte)
            fieldStarted = true
        }
    }

    /// Skips EF BB BF at the very start of the file, byte by byte as they arrive.
    private mutating func skipsByteOrderMark(_ byte: UInt8) -> Bool {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        if byte == mark[bomBytes] {
            bomBytes += 1
            if bomBytes == 3 { atStart = false }
            return true
        }
        atStart = false
        let partial = mark.prefix(bomBytes)
        bomBytes = 0
        for earlier in partial { consume(earlier) }
        return false
    }

    private mutating func endField() {
        if let text = String(validating: field, as: UTF8.self) {
            fields.append(CSVFormulaGuard.unprotect(text))
        } else {
            fields.append(String(decoding: field, as: UTF8.self))
            invalidText = true
        }
        field.removeAll(keepingCapacity: true)
        fieldStarted = false
        quoteSeen = false
    }

    private mutating func endRecord() {
        endField()
        let blank = fields.count == 1 && fields[0].isEmpty
        if !blank {
            records.append(CSVRecord(line: recordLine, fields: fields, problem: invalidText ? "the line is not valid UTF-8" : nil))
        }
        fields.removeAll(keepingCapacity: true)
        invalidText = false
        recordLine = line
    }
}
