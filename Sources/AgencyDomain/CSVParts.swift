/// Cuts a CSV file into parts that can be imported one request at a time: each part is the header
/// line followed by whole records (never a quoted line break cut in two), with the offset that turns
/// a part's line numbers back into the file's. Fed a piece at a time, it holds one part in memory.
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
    private var previous: UInt8 = 0
    /// The file's line at the current byte, and at the start of the part being gathered.
    private var line = 1
    private var partStartLine = 2
    private var cutAny = false

    public init(recordsPerPart: Int = 5_000, bytesPerPart: Int = 4 << 20) {
        self.recordsPerPart = recordsPerPart
        self.bytesPerPart = bytesPerPart
    }

    /// The parts these bytes complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Part] {
        var parts: [Part] = []
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        for byte in bytes {
            if byte == cr || (byte == lf && previous != cr) { line += 1 }
            previous = byte
            if byte == quote { inQuotes.toggle() }  // a doubled quote toggles twice
            guard headerDone else {
                header.append(byte)
                if byte == lf, !inQuotes { headerDone = true; partStartLine = line }
                continue
            }
            body.append(byte)
            guard byte == lf, !inQuotes else { continue }
            records += 1
            if records >= recordsPerPart || body.count >= bytesPerPart { parts.append(cut()) }
        }
        return parts
    }

    /// The last part, if any record is left (or the header alone, for a file without rows).
    public mutating func finish() -> [Part] {
        if !body.isEmpty { return [cut(records: records + (body.last == UInt8(ascii: "\n") ? 0 : 1))] }
        return header.isEmpty || cutAny ? [] : [Part(bytes: header, lineOffset: 0, records: 0)]
    }

    private mutating func cut(records count: Int? = nil) -> Part {
        let headerLines = 1 + header.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } - (header.last == UInt8(ascii: "\n") ? 1 : 0)
        let part = Part(bytes: header + body, lineOffset: partStartLine - headerLines - 1, records: count ?? records)
        body.removeAll(keepingCapacity: true)
        records = 0
        cutAny = true
        partStartLine = line
        return part
    }
}
