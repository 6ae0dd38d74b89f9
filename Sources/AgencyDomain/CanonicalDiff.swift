import Foundation

/// The pointers at which two canonical texts differ, exactly as `FieldChange.between` finds them on
/// the parsed values, found by comparing bytes: in canonical text equal values are equal bytes, so
/// only members whose bytes differ are looked into, and a long string that changed (a template's
/// html) is never decoded. Updates report the fields they apply with it.
public enum CanonicalDiff {
    public static func pointers(_ old: String, _ new: String) -> [String] {
        var (old, new) = (old, new)
        return old.withUTF8 { a in
            new.withUTF8 { b in
                var pointers: [String] = []
                compare(a, 0..<a.count, b, 0..<b.count, at: "", into: &pointers)
                return pointers
            }
        }
    }

    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ ra: Range<Int>, _ b: UnsafeBufferPointer<UInt8>, _ rb: Range<Int>, at pointer: String, into pointers: inout [String]) {
        if a[ra].elementsEqual(b[rb]) { return }
        switch (a[ra.lowerBound], b[rb.lowerBound]) {
        case (UInt8(ascii: "{"), UInt8(ascii: "{")):
            let (before, after) = (members(a, ra), members(b, rb))
            for key in Set(before.keys).union(after.keys).sorted() {
                let path = JSONPointer.appending(key, to: pointer)
                if let x = before[key], let y = after[key] { compare(a, x, b, y, at: path, into: &pointers) } else { pointers.append(path) }
            }
        case (UInt8(ascii: "["), UInt8(ascii: "[")):
            let (before, after) = (items(a, ra), items(b, rb))
            guard before.count == after.count else { return pointers.append(pointer) }
            for index in before.indices { compare(a, before[index], b, after[index], at: JSONPointer.appending(index, to: pointer), into: &pointers) }
        default:
            pointers.append(pointer)
        }
    }

    /// The members of the object at `range`: each key with the range of its value.
    static func members(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [String: Range<Int>] {
        Dictionary(orderedMembers(bytes, range).map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The same in the text's order, with the range of each quoted key.
    static func orderedMembers(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [(key: String, quotedKey: Range<Int>, value: Range<Int>)] {
        var result: [(key: String, quotedKey: Range<Int>, value: Range<Int>)] = []
        var index = range.lowerBound + 1
        while index < range.upperBound - 1 {
            let keyEnd = end(of: bytes, at: index)
            let quoted = UnsafeBufferPointer(rebasing: bytes[index..<keyEnd])
            let key = quoted.contains(UInt8(ascii: "\\"))
                ? CanonicalJSONString.decode(Array(quoted), from: 0)?.text ?? ""
                : String(decoding: UnsafeBufferPointer(rebasing: quoted.dropFirst().dropLast()), as: UTF8.self)
            let valueEnd = end(of: bytes, at: keyEnd + 1)
            result.append((key, index..<keyEnd, (keyEnd + 1)..<valueEnd))
            index = valueEnd + 1  // past the comma
        }
        return result
    }

    static func items(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var index = range.lowerBound + 1
        while index < range.upperBound - 1 {
            let valueEnd = end(of: bytes, at: index)
            result.append(index..<valueEnd)
            index = valueEnd + 1
        }
        return result
    }

    /// The index just after the value that starts at `start`.
    static func end(of bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int {
        var index = start
        var depth = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                // Long strings (html) are skipped with memchr to the next quote or backslash.
                let start = UnsafeMutableRawPointer(mutating: bytes.baseAddress!)
                guard let quote = memchr(start + index, Int32(UInt8(ascii: "\"")), bytes.count - index) else { return bytes.count }
                let quoteIndex = quote - start
                if let backslash = memchr(start + index, Int32(UInt8(ascii: "\\")), quoteIndex - index) {
                    index = (backslash - start) + 2
                    continue
                }
                index = quoteIndex
                inString = false
                if depth == 0 { return index + 1 }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return index }
                    depth -= 1
                    if depth == 0 { return index + 1 }
                case UInt8(ascii: ","):
                    if depth == 0 { return index }
                default: break
                }
            }
            index += 1
        }
        return index
    }
}
