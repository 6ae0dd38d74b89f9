import Foundation

/// Talks to a running service's agency API with the agency token.
struct ServiceClient {
    var baseURL: String
    var token: String?
    var transport: any HTTPTransport

    /// Sends a request; a non-2xx reply becomes a `CLIError` carrying the service's own message.
    func send(_ method: String, _ path: String, body: [String: Any]? = nil, rawJSON: Data? = nil, headers extra: [String: String] = [:]) async throws -> Reply {
        var headers = ["Accept": "application/json"].merging(extra) { $1 }
        if let token { headers["Authorization"] = "Bearer \(token)" }
        var data = rawJSON
        if rawJSON != nil { headers["Content-Type"] = "application/json" }
        if let body {
            headers["Content-Type"] = "application/json"
            data = try JSONSerialization.data(withJSONObject: body)
        }
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let (status, replyBody) = try await transport.send(method: method, url: base + path, headers: headers, body: data)
        let reply = Reply(status: status, body: replyBody)
        guard (200..<300).contains(status) else { throw reply.error }
        return reply
    }

    struct Reply {
        var status: Int
        var body: Data

        /// The reply as a JSON object (empty for a 204).
        var object: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }

        /// The body re-printed with indentation, for `--json`.
        var prettyJSON: String {
            guard !body.isEmpty, let value = try? JSONSerialization.jsonObject(with: body),
                  let data = try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            else { return "{}" }
            return String(decoding: data, as: UTF8.self)
        }

        var error: CLIError {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String {
                return CLIError("\(message) (\(error["code"] as? String ?? "error"), HTTP \(status))")
            }
            return CLIError("The service answered HTTP \(status).")
        }
    }
}
