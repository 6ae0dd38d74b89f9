import AgencyDomain
import Foundation
import Hummingbird

/// Request bodies larger than this are refused with 413 before they are read in full.
let defaultBodyLimit = 1 << 20

extension Request {
    /// Reads and decodes a JSON body. Syntax errors answer 400; a field of the wrong type or
    /// a missing required field answers 422 naming the field.
    func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int = defaultBodyLimit) async throws -> T {
        try Self.decodeJSON(T.self, from: try await bodyData(limit: limit))
    }

    /// The whole body, refused with 413 past `limit`.
    func bodyData(limit: Int = defaultBodyLimit) async throws -> Data {
        var request = self
        return Data(buffer: try await request.collectBody(upTo: limit))
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try refuseControlCharacters(in: data)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw DomainError.malformed(message: "The request body is not valid JSON.")
        } catch DecodingError.keyNotFound(let key, let context) {
            throw DomainError.invalid(field: Self.path(context.codingPath + [key]), message: "'\(Self.path(context.codingPath + [key]))' is required.")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context), DecodingError.dataCorrupted(let context) {
            let field = Self.path(context.codingPath)
            throw DomainError.invalid(field: field, message: "'\(field)' has the wrong type, or a number too large to read.")
        }
    }

    /// Valid JSON can carry control characters only as `\\u` escapes, so a scan of the bytes finds them
    /// without parsing; only then is the body parsed, to name the field.
    static func refuseControlCharacters(in data: Data) throws {
        let found = data.withUnsafeBytes { bytes -> Bool in
            var index = 0
            while index < bytes.count {
                guard bytes[index] == UInt8(ascii: "\\") else { index += 1; continue }
                if index + 5 < bytes.count, bytes[index + 1] == UInt8(ascii: "u"),
                   let value = UInt32(String(decoding: bytes[(index + 2)...(index + 5)], as: UTF8.self), radix: 16),
                   let scalar = Unicode.Scalar(value), ControlCharacters.isForbidden(scalar) {
                    return true
                }
                index += 2
            }
            return false
        }
        guard found else { return }
        let value = (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .null
        throw ControlCharacters.refusal(field: ControlCharacters.firstOffender(in: value) ?? "body")
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    /// A query parameter by name. Names are compared percent-decoded, because clients
    /// send v3's `filters[email]` both as is and as `filters%5Bemail%5D`.
    func query(_ name: String) -> String? {
        for (key, value) in uri.queryParameters where key == name || key.removingPercentEncoding == name {
            return String(value)  // Hummingbird has already percent-decoded the value
        }
        return nil
    }
}
