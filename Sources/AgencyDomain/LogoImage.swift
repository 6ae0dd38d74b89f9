import Crypto
import Foundation

/// An agency's logo, checked by its bytes (never by a file name or a declared type): a PNG or a
/// JPEG, at most `maximumBytes`, with pixel dimensions read from its header within
/// `maximumDimension`. SVG is refused: it is a document that can carry script and links, and the
/// logo is shown on the page where clients type their password.
public struct LogoImage: Sendable, Equatable {
    public enum Format: String, Sendable {
        case png
        case jpeg

        public var contentType: String { self == .png ? "image/png" : "image/jpeg" }
        public var fileExtension: String { self == .png ? "png" : "jpg" }
    }

    public static let maximumBytes = 256 * 1024
    public static let maximumDimension = 2048

    public var format: Format
    public var width: Int
    public var height: Int
    public var bytes: [UInt8]
    /// The SHA-256 of the bytes in lower-case hex: the logo's name in its URL.
    public var digest: String

    public static func validated(_ bytes: [UInt8], field: String = "logo") throws -> LogoImage {
        guard !bytes.isEmpty else { throw DomainError.invalid(field: field, message: "The logo is empty.") }
        guard bytes.count <= maximumBytes else {
            throw DomainError.invalid(field: field, message: "A logo is at most \(maximumBytes / 1024) KiB; this one is \(bytes.count / 1024) KiB.")
        }
        let size: (format: Format, width: Int, height: Int)
        if let png = pngSize(bytes) {
            size = (.png, png.width, png.height)
        } else if let jpeg = jpegSize(bytes) {
            size = (.jpeg, jpeg.width, jpeg.height)
        } else if looksLikeSVG(bytes) {
            throw DomainError.invalid(field: field, message: "SVG logos are refused: an SVG can carry script. Send a PNG or a JPEG.")
        } else {
            throw DomainError.invalid(field: field, message: "A logo is a PNG or a JPEG image; these bytes are neither.")
        }
        guard (1...maximumDimension).contains(size.width), (1...maximumDimension).contains(size.height) else {
            throw DomainError.invalid(
                field: field, message: "A logo is at most \(maximumDimension)×\(maximumDimension) pixels; this one is \(size.width)×\(size.height)."
            )
        }
        let digest = SnapshotDigest.hex(Array(SHA256.hash(data: bytes)))
        return LogoImage(format: size.format, width: size.width, height: size.height, bytes: bytes, digest: digest)
    }

    /// PNG: the 8-byte signature, then the IHDR chunk first, width and height big-endian (PNG §11.2.2).
    static func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        return (bigEndian(bytes, at: 16, count: 4), bigEndian(bytes, at: 20, count: 4))
    }

    /// JPEG: SOI, then segments up to a start-of-frame marker, whose body holds height and width.
    static func jpegSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var index = 2
        while index + 4 <= bytes.count {
            guard bytes[index] == 0xFF else { return nil }
            let marker = bytes[index + 1]
            if marker == 0xFF { index += 1; continue }
            let length = bigEndian(bytes, at: index + 2, count: 2)
            guard length >= 2 else { return nil }
            let isStartOfFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
            if isStartOfFrame {
                guard index + 9 <= bytes.count else { return nil }
                return (bigEndian(bytes, at: index + 7, count: 2), bigEndian(bytes, at: index + 5, count: 2))
            }
            index += 2 + length
        }
        return nil
    }

    /// XML or an `<svg` element near the start, after any byte-order mark and white space.
    static func looksLikeSVG(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        return head.contains("<svg") || head.trimmingCharacters(in: .whitespacesAndNewlines.union(["\u{FEFF}"])).hasPrefix("<?xml")
    }

    static func bigEndian(_ bytes: [UInt8], at index: Int, count: Int) -> Int {
        bytes[index..<(index + count)].reduce(0) { $0 << 8 | Int($1) }
    }
}
