import AgencyDomain

/// Contact replies written straight to bytes. `GET /api/3/contacts` is the per-account API's busiest
/// read, and Foundation's `JSONEncoder` took a fifth of its time (docs/benchmarks.md). The bytes are
/// exactly those `JSONReply` writes for the same fields (sorted keys, slashes kept), which
/// `ContactJSONTests` checks with hostile strings.
enum ContactJSON {
    /// `{"contacts":[…],"meta":{"total":"N"}}`
    static func list(_ contacts: [Contact], total: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + contacts.count * 256)
        bytes.append(contentsOf: #"{"contacts":["#.utf8)
        for (index, contact) in contacts.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(contact, into: &bytes)
        }
        bytes.append(contentsOf: #"],"meta":{"total":""#.utf8)
        bytes.append(contentsOf: String(total).utf8)
        bytes.append(contentsOf: #""}}"#.utf8)
        return bytes
    }

    /// `{"contact":{…}}`
    static func one(_ contact: Contact) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(300)
        bytes.append(contentsOf: #"{"contact":"#.utf8)
        write(contact, into: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// The fields in the order `.sortedKeys` puts them; ids are strings, as in v3.
    static func write(_ contact: Contact, into bytes: inout [UInt8]) {
        bytes.append(contentsOf: #"{"cdate":"#.utf8)
        CanonicalJSONString.encode(contact.createdAt, into: &bytes)
        bytes.append(contentsOf: #","email":"#.utf8)
        CanonicalJSONString.encode(contact.email, into: &bytes)
        bytes.append(contentsOf: #","firstName":"#.utf8)
        CanonicalJSONString.encode(contact.firstName, into: &bytes)
        bytes.append(contentsOf: #","id":""#.utf8)
        bytes.append(contentsOf: String(contact.id).utf8)
        bytes.append(contentsOf: #"","lastName":"#.utf8)
        CanonicalJSONString.encode(contact.lastName, into: &bytes)
        bytes.append(contentsOf: #","phone":"#.utf8)
        CanonicalJSONString.encode(contact.phone, into: &bytes)
        bytes.append(contentsOf: #","udate":"#.utf8)
        CanonicalJSONString.encode(contact.updatedAt, into: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}
