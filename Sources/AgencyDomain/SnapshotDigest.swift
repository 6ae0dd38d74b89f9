import Crypto
import Foundation

/// The content digest of a snapshot or an account: SHA-256 over one line per item, in (kind, id)
/// order, each naming the hash of the item's stored body. Anyone can recompute it from the rows.
public enum SnapshotDigest {
    public struct Entry: Equatable, Sendable {
        public var kind: String
        public var id: Int64
        public var hash: [UInt8]

        public init(kind: String, id: Int64, hash: [UInt8]) {
            self.kind = kind
            self.id = id
            self.hash = hash
        }

        /// Hashes a body the way the digest expects it.
        public init(kind: String, id: Int64, body: String) {
            self.init(kind: kind, id: id, hash: SnapshotDigest.hash(kind: kind, body: body))
        }
    }

    /// SHA-256 over the kind, a NUL byte and the body, so equal bodies of different kinds differ.
    public static func hash(kind: String, body: String) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array(kind.utf8) + [0])
        hasher.update(data: Array(body.utf8))
        return Array(hasher.finalize())
    }

    /// `sha256:` and 64 hex digits.
    public static func of(_ entries: [Entry]) -> String {
        var hasher = SHA256()
        for entry in entries.sorted(by: { ($0.kind, $0.id) < ($1.kind, $1.id) }) {
            hasher.update(data: Array("\(entry.kind)\t\(entry.id)\t\(hex(entry.hash))\n".utf8))
        }
        return "sha256:" + hex(Array(hasher.finalize()))
    }

    /// Lower-case hex. A table, not `String(format:)`, which cost a third of a snapshot's time.
    public static func hex(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
