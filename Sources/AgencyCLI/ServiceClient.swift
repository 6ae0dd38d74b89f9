import AgencyAPI
import Foundation

/// Talks to a running service's agency API, in the types of the wire contract (`AgencyAPI`).
struct ServiceClient {
    var baseURL: String
    var token: String?
    var transport: any HTTPTransport
    /// How this command's options supply the request's fields, for error lines.
    var fieldOptions = FieldOptions.none

    /// The same client, naming `options` in place of the request fields they supply.
    func naming(_ options: FieldOptions) -> ServiceClient {
        var client = self
        client.fieldOptions = options
        return client
    }

    /// Sends a request without a body.
    func send(_ method: String, _ path: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send(method, path, data: nil, headers: headers)
    }

    /// Sends `body` as JSON.
    func send(_ method: String, _ path: String, json body: some Encodable, headers: [String: String] = [:]) async throws -> Reply {
        try await send(method, path, data: try JSONEncoder().encode(body), headers: headers)
    }

    /// Sends a request; a non-2xx reply becomes a `CLIError` carrying the service's own message.
    func send(_ method: String, _ path: String, data: Data?, headers extra: [String: String] = [:]) async throws -> Reply {
        var headers = ["Accept": "application/json"].merging(extra) { $1 }
        if let token { headers["Authorization"] = "Bearer \(token)" }
        if data != nil, headers["Content-Type"] == nil { headers["Content-Type"] = "application/json" }
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let (status, replyHeaders, replyBody) = try await transport.send(method: method, url: base + path, headers: headers, body: data)
        let reply = Reply(status: status, headers: replyHeaders, body: replyBody)
        guard (200..<300).contains(status) else { throw reply.error(naming: fieldOptions) }
        return reply
    }

    struct Reply {
        var status: Int
        /// Names lowercased.
        var headers: [String: String] = [:]
        var body: Data

        /// The service answered a retry with the same Idempotency-Key with what the first request made.
        var isIdempotentReplay: Bool { headers["idempotent-replayed"] == "true" }

        /// The reply in its wire type.
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            do {
                return try JSONDecoder().decode(T.self, from: body)
            } catch {
                throw CLIError("The service's reply was not what this version of agency expects (HTTP \(status)); are the CLI and the service the same version?")
            }
        }

        /// The body re-printed with indentation, for `--json`.
        var prettyJSON: String {
            guard !body.isEmpty, let value = try? JSONSerialization.jsonObject(with: body),
                  let data = try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            else { return "{}" }
            return String(decoding: data, as: UTF8.self)
        }

        /// The service's error as one line; a refused field that an option supplied is named as that option.
        func error(naming options: FieldOptions) -> CLIError {
            if let reply = try? JSONDecoder().decode(ErrorReply.self, from: body) {
                return CLIError("\(options.message(reply.error.message, field: reply.error.field)) (\(reply.error.code), HTTP \(status))")
            }
            return CLIError("The service answered HTTP \(status).")
        }
    }
}
