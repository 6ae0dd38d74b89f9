/// The two DNS messages a domain check needs, written from RFC 1035 §4: a TXT query, and the
/// reading of its answer. No I/O: `DNSClient` (AgencyHTTP) sends the bytes over UDP.
public enum DNSTXTMessage {
    /// What a resolver answered about a name's TXT records.
    public enum Answer: Equatable, Sendable {
        /// The TXT records found (each record's character-strings joined, as SPF and DKIM read them);
        /// empty when the name exists without TXT records.
        case records([String])
        /// NXDOMAIN: the name does not exist.
        case noSuchName
    }

    public struct Malformed: Error, Equatable {
        public var reason: String
    }

    static let typeTXT: UInt16 = 16
    static let classIN: UInt16 = 1

    /// A recursive TXT query for `name` (§4.1.1 header with RD set, one §4.1.2 question).
    public static func query(id: UInt16, name: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        append16(id, to: &bytes)
        append16(0x0100, to: &bytes)  // QR=0 query, OPCODE=0, RD=1
        append16(1, to: &bytes)  // QDCOUNT
        append16(0, to: &bytes)  // ANCOUNT
        append16(0, to: &bytes)  // NSCOUNT
        append16(0, to: &bytes)  // ARCOUNT
        for label in name.split(separator: ".") {
            let utf8 = Array(label.utf8)
            guard (1...63).contains(utf8.count) else { throw Malformed(reason: "a label of \(name) is longer than 63 bytes") }
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        bytes.append(0)
        append16(typeTXT, to: &bytes)
        append16(classIN, to: &bytes)
        return bytes
    }

    /// The TXT answer to the query with `id`; nil when the message is not that answer (another id,
    /// or not a response), so the caller keeps waiting. A server failure is thrown as `Malformed`.
    public static func answer(_ bytes: [UInt8], id: UInt16) throws -> Answer? {
        var reader = Reader(bytes: bytes)
        guard bytes.count >= 12, try reader.uint16() == id else { return nil }
        let flags = try reader.uint16()
        guard flags & 0x8000 != 0 else { return nil }
        let questions = try reader.uint16()
        let answers = try reader.uint16()
        _ = try reader.uint16()
        _ = try reader.uint16()
        switch flags & 0x000F {
        case 0: break
        case 3: return .noSuchName
        case let code: throw Malformed(reason: "the resolver answered with RCODE \(code)")
        }
        for _ in 0..<questions {
            try reader.skipName()
            _ = try reader.uint16()
            _ = try reader.uint16()
        }
        var texts: [String] = []
        for _ in 0..<answers {
            try reader.skipName()
            let type = try reader.uint16()
            let rrClass = try reader.uint16()
            _ = try reader.uint32()
            let length = Int(try reader.uint16())
            let data = try reader.take(length)
            guard type == typeTXT, rrClass == classIN else { continue }
            var text: [UInt8] = []
            var index = 0
            while index < data.count {
                let count = Int(data[index])
                guard index + 1 + count <= data.count else { throw Malformed(reason: "a TXT string runs past its record") }
                text += data[(index + 1)..<(index + 1 + count)]
                index += 1 + count
            }
            texts.append(String(decoding: text, as: UTF8.self))
        }
        return .records(texts)
    }

    static func append16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func take(_ count: Int) throws -> [UInt8] {
            guard count >= 0, index + count <= bytes.count else { throw Malformed(reason: "the message ends early") }
            defer { index += count }
            return Array(bytes[index..<(index + count)])
        }

        mutating func uint16() throws -> UInt16 {
            let two = try take(2)
            return UInt16(two[0]) << 8 | UInt16(two[1])
        }

        mutating func uint32() throws -> UInt32 {
            let four = try take(4)
            return four.reduce(0) { $0 << 8 | UInt32($1) }
        }

        /// A name is labels ending in a zero byte, or ending in a two-byte pointer (§4.1.4).
        mutating func skipName() throws {
            while true {
                let length = try take(1)[0]
                if length == 0 { return }
                if length & 0xC0 == 0xC0 { _ = try take(1); return }
                guard length & 0xC0 == 0 else { throw Malformed(reason: "a name has an unknown label type") }
                _ = try take(Int(length))
            }
        }
    }
}
