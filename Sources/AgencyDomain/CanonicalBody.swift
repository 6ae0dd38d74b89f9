/// Reading a body's canonical JSON text (sorted keys, no spaces) without parsing it: finding one
/// top-level string, so that it can be replaced in place. Parsing and re-encoding whole bodies was
/// most of a snapshot's time.
enum CanonicalBody {
    /// `.some(range)`: the body's only key `name` is top-level and holds a string literal at `range`;
    /// `.some(nil)`: no such key at all; `nil`: the key is nested or holds something else, so the
    /// caller takes the general path (parse, change, re-encode).
    static func topLevelString(named name: String, in bytes: [UInt8]) -> Range<Int>?? {
        let key = Array("\"\(name)\"".utf8)
        var found: Range<Int>?
        var depth = 0
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            case UInt8(ascii: "\""):
                guard let end = literalEnd(bytes, from: index) else { return nil }
                if end < bytes.count, bytes[end] == UInt8(ascii: ":"), bytes[index..<end].elementsEqual(key) {
                    guard depth == 1, found == nil, end + 1 < bytes.count, bytes[end + 1] == UInt8(ascii: "\""),
                          let valueEnd = literalEnd(bytes, from: end + 1)
                    else { return nil }
                    found = (end + 1)..<valueEnd
                    index = valueEnd
                } else {
                    index = end
                }
            default:
                index += 1
            }
        }
        return .some(found)
    }

    /// The index after the closing quote of the literal opening at `start`.
    static func literalEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    /// `text` with the string literal at `range` replaced by `value`, encoded canonically.
    static func replacing(_ range: Range<Int>, in bytes: [UInt8], with value: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 64)
        output.append(contentsOf: bytes[..<range.lowerBound])
        CanonicalJSONString.encode(value, into: &output)
        output.append(contentsOf: bytes[range.upperBound...])
        return String(decoding: output, as: UTF8.self)
    }
}
