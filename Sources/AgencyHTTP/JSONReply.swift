import AgencyDomain
import Foundation
import Hummingbird

/// JSON replies: sorted keys so that output is stable for people, diffs and tests.
enum JSONReply {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        // Asset bodies and bundles are JSONValue trees: written directly, the same bytes as the encoder's.
        if let json = value as? JSONValue {
            var bytes: [UInt8] = []
            json.appendCanonical(to: &bytes)
            return make(bytes: bytes, status: status, headers: headers)
        }
        return make(bytes: try encoder.encode(value), status: status, headers: headers)
    }

    /// A reply already written as JSON (see `ContactJSON`).
    static func make(bytes: some Sequence<UInt8>, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
