/// Cuts a CSV file into parts that can be imported one request at a time: each part is the header
/// line followed by whole records (never a quoted line break cut in two), with the offset that turns
/// a part's line numbers back into the file's. Fed a piece at a time, it holds one part in memory.
/// Quotes and line breaks are read as `CSVReader` reads them.
public struct CSVParts: Sendable {
    public struct Part: Sendable {
        public var bytes: [UInt8]
        /// Add to a line number within the part to get the line of the file.
        public var lineOffset: Int
        public var records: Int
    }

    let recordsPerPart: Int
    let bytesPerPart: Int
    private var header: [UInt8] = []
    private var headerDone = false
    private var body: [UInt8] = []
    private var records = 0
    private var inQuotes = false
    private var justClosed = false
    private var previous: UInt8 = 0
    /// A CR ended a record; the next byte says whether it was a CRLF (the LF belongs to this part).
    private var afterCR = false
    private var cutAny = false
    /// The file's line at the current byte, and the line the part being gathered starts on.
    private var line = 1
    private var partStartLine = 2

    public init(recordsPerPart: Int = 5_000, bytesPerPart: Int = 4 << 20) {
        self.recordsPerPart = recordsPerPart
        self.bytesPerPart = bytesPerPart
    }

    /// The parts these bytes complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Part] {
        var parts: [Part] = []
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == lf {
                    append(byte)
                    previous = byte
                    if let part = recordEnded() { parts.append(part) }
                    continue
                }
                if let part = recordEnded() { parts.append(part) }
            }
            if byte == cr || (byte == lf && previous != cr) { line += 1 }
            // A quote opens a field only at its start; in one, a doubled quote stays inside.
            let atFieldStart = previous == 0 || previous == comma || previous == cr || previous == lf
                || (!headerDone && header == [0xEF, 0xBB, 0xBF])  // right after a byte order mark
            if byte == quote {
                if inQuotes {
                    (inQuotes, justClosed) = (false, true)
                } else if atFieldStart || justClosed {
                    (inQuotes, justClosed) = (true, false)
                }
            } else {
                justClosed = false
            }
            previous = byte
            append(byte)
            guard !inQuotes else { continue }
            if byte == cr {
                afterCR = true
            } else if byte == lf, let part = recordEnded() {
                parts.append(part)
            }
        }
        return parts
    }

    /// The last part, if any record is left (or the header alone, for a file without rows).
    public mutating func finish() -> [Part] {
        var parts: [Part] = []
        if afterCR, let part = recordEnded() { parts.append(part) }
        afterCR = false
        if !body.isEmpty {
            let last = body.last
            parts.append(cut(records: records + (last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") ? 0 : 1)))
        } else if !header.isEmpty, !cutAny {
            parts.append(Part(bytes: header, lineOffset: 0, records: 0))
        }
        return parts
    }

    private mutating func append(_ byte: UInt8) {
        if headerDone { body.append(byte) } else { header.append(byte) }
    }

    /// A line break outside quotes ended the header or a record; a full part is cut.
    private mutating func recordEnded() -> Part? {
        guard headerDone else {
            headerDone = true
            partStartLine = line
            return nil
        }
        records += 1
        return records >= recordsPerPart || body.count >= bytesPerPart ? cut() : nil
    }

    private mutating func cut(records count: Int? = nil) -> Part {
        let part = Part(bytes: header + body, lineOffset: partStartLine - headerLines - 1, records: count ?? records)
        body.removeAll(keepingCapacity: true)
        records = 0
        cutAny = true
        partStartLine = line
        return part
    }

    /// Lines the header takes (more than one when a quoted column name holds a line break).
    private var headerLines: Int {
        var count = 0
        var previous: UInt8 = 0
        for byte in header {
            if byte == UInt8(ascii: "\r") || (byte == UInt8(ascii: "\n") && previous != UInt8(ascii: "\r")) { count += 1 }
            previous = byte
        }
        return max(count, 1)
    }
}
