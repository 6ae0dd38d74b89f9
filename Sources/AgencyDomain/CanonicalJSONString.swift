/// JSON string literals read and written exactly as `JSONValue.canonicalText()` writes them, so that a
/// string inside a canonical body can be replaced without parsing and re-encoding the whole body.
public enum CanonicalJSONString {
    /// The text of the literal whose opening quote is at `start`, and the index after its closing quote.
    static func decode(_ bytes: [UInt8], from start: Int) -> (text: String, end: Int)? {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONTextParser(bytes: buffer)
            parser.index = start
            guard start < buffer.count, buffer[start] == UInt8(ascii: "\""), let text = try? parser.string() else { return nil }
            return (text, parser.index)
        }
    }

    /// The literal for `text`, quotes included, escaped as the canonical encoder escapes.
    static func encode(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 2)
        encode(text, into: &output)
        return output
    }

    /// Appends the literal for `text`: the same bytes as Foundation's `JSONEncoder` writes with
    /// `.withoutEscapingSlashes`, which the HTTP layer relies on for replies it writes by hand.
    public static func encode(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text  // `withUTF8` needs a var; for a native string it is the same storage
        text.withUTF8 { bytes in
            // Runs that need no escape (nearly all text) are copied whole.
            var runStart = 0
            for index in bytes.indices where needsEscape(bytes[index]) {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscape(for: bytes[index], to: &output)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func appendEscape(for byte: UInt8, to output: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        switch byte {
        case UInt8(ascii: "\""), backslash: output.append(backslash); output.append(byte)
        case 0x08: output.append(backslash); output.append(UInt8(ascii: "b"))
        case 0x0C: output.append(backslash); output.append(UInt8(ascii: "f"))
        case 0x0A: output.append(backslash); output.append(UInt8(ascii: "n"))
        case 0x0D: output.append(backslash); output.append(UInt8(ascii: "r"))
        case 0x09: output.append(backslash); output.append(UInt8(ascii: "t"))
        default:
            output.append(contentsOf: unicodeEscape)
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0F)])
        }
    }

    private static let unicodeEscape = Array("\\u00".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)
}
