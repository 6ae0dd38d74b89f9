/// The pointers at which two canonical texts differ, exactly as `FieldChange.between` finds them on
/// the parsed values, found by comparing bytes: in canonical text equal values are equal bytes, so
/// only members whose bytes differ are looked into, and a long string that changed (a template's
/// html) is never decoded. Updates report the fields they apply with it.
public enum CanonicalDiff {
    public static func pointers(_ old: String, _ new: String) -> [String] {
        let (old, new) = (Array(old.utf8), Array(new.utf8))
        var pointers: [String] = []
        compare(old, 0..<old.count, new, 0..<new.count, at: "", into: &pointers)
        return pointers
    }

    static func compare(_ a: [UInt8], _ ra: Range<Int>, _ b: [UInt8], _ rb: Range<Int>, at pointer: String, into pointers: inout [String]) {
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
    static func members(_ bytes: [UInt8], _ range: Range<Int>) -> [String: Range<Int>] {
        var result: [String: Range<Int>] = [:]
        var index = range.lowerBound + 1
        while index < range.upperBound - 1 {
            guard let (key, keyEnd) = CanonicalJSONString.decode(bytes, from: index) else { break }
            let valueEnd = end(of: bytes, at: keyEnd + 1)
            result[key] = (keyEnd + 1)..<valueEnd
            index = valueEnd + 1  // past the comma
        }
        return result
    }

    static func items(_ bytes: [UInt8], _ range: Range<Int>) -> [Range<Int>] {
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
    static func end(of bytes: [UInt8], at start: Int) -> Int {
        var index = start
        var depth = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return index + 1 }
                }
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
