import AgencyDomain
import Foundation
import Hummingbird

/// Request bodies larger than this are refused with 413 before they are read in full.
let defaultBodyLimit = 1 << 20

/// The request body was not JSON at all.
struct MalformedJSON: Error {
    var message: String
}

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
            throw MalformedJSON(message: "The request body is not valid JSON.")
        } catch DecodingError.keyNotFound(let key, let context) {
            throw DomainError.invalid(field: Self.path(context.codingPath + [key]), message: "'\(Self.path(context.codingPath + [key]))' is required.")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context), DecodingError.dataCorrupted(let context) {
            throw DomainError.invalid(field: Self.path(context.codingPath), message: "'\(Self.path(context.codingPath))' has the wrong type: \(context.debugDescription)")
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

/// JSON replies: sorted keys so that output is stable for people, diffs and tests.
enum JSONReply {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        make(bytes: try encoder.encode(value), status: status, headers: headers)
    }

    /// A reply already written as JSON (see `ContactJSON`).
    static func make(bytes: some Sequence<UInt8>, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// An id in a path. Anything that is not a positive integer cannot name a record, so it is "not found".
func pathID(_ context: AppRequestContext, _ name: String = "id", what: String) throws -> Int64 {
    let raw = context.parameters.get(name) ?? ""
    guard let id = Int64(raw), id > 0 else { throw DomainError.notFound(what: "\(what) \(raw)") }
    return id
}

/// ActiveCampaign v3 sends ids as strings, but clients send numbers too: accept both.
struct FlexibleID: Codable, Hashable, Sendable {
    var value: Int64

    init(_ value: Int64) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self), abs(Double(number)) <= JSONNumber.exactIntegerLimit {
            value = number
        } else if let text = try? container.decode(String.self), let number = Int64(text) {
            value = number
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected an id (a number or a string of digits).")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }
}
