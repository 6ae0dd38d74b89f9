/// A stored body's canonical text with members added or replaced, written without parsing the rest:
/// the body's own members are copied as bytes. v3 replies add `id`, `cdate` and `udate` to every
/// asset body; parsing a 20 KB template and encoding it again only to do that was most of the cost
/// of listing templates. The bytes equal `JSONValue.object(body.merging(extras)).canonicalText()`.
public enum CanonicalObject {
    public static func append(_ canonical: String, adding extras: [String: JSONValue], to output: inout [UInt8]) {
        var text = canonical
        text.withUTF8 { bytes in
            let members = CanonicalDiff.orderedMembers(bytes, 0..<bytes.count)
            let extraKeys = extras.keys.sorted()
            var (member, extra) = (0, 0)
            output.append(UInt8(ascii: "{"))
            while member < members.count || extra < extraKeys.count {
                if member + extra > 0 { output.append(UInt8(ascii: ",")) }
                if extra < extraKeys.count, member == members.count || extraKeys[extra] <= members[member].key {
                    let key = extraKeys[extra]
                    if member < members.count, members[member].key == key { member += 1 }  // replaced
                    CanonicalJSONString.encode(key, into: &output)
                    output.append(UInt8(ascii: ":"))
                    extras[key]!.appendCanonical(to: &output)
                    extra += 1
                } else {
                    let (_, quotedKey, value) = members[member]
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[quotedKey]))
                    output.append(UInt8(ascii: ":"))
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[value]))
                    member += 1
                }
            }
            output.append(UInt8(ascii: "}"))
        }
    }
}
