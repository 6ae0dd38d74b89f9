import AgencyDomain
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A remote tool's answer: status, headers (lower-cased names) and body.
public struct SyncResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends one request to a remote tool; throws when no answer came (refused, reset, timed out).
public protocol SyncTransport: Sendable {
    func send(_ request: SyncRequest, timeout: TimeInterval) async throws -> SyncResponse
}

/// The production transport: URLSession (FoundationNetworking on Linux).
public struct URLSessionSyncTransport: SyncTransport {
    public init() {}

    public func send(_ request: SyncRequest, timeout: TimeInterval) async throws -> SyncResponse {
        guard let url = URL(string: request.url) else { throw URLError(.badURL) }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body.map { Data($0) }
        return try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: urlRequest) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                guard let http = response as? HTTPURLResponse else { return continuation.resume(throwing: URLError(.badServerResponse)) }
                var headers: [String: String] = [:]
                for (name, value) in http.allHeaderFields {
                    if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
                }
                continuation.resume(returning: SyncResponse(status: http.statusCode, headers: headers, body: Array(data ?? Data())))
            }.resume()
        }
    }
}

/// What contact sync needs besides the database: the key that seals credentials, how to reach the
/// remote tools, and how long to wait between tries.
public struct SyncSettings: Sendable {
    public var cipher: CredentialCipher
    public var transport: any SyncTransport
    public var policy: SyncRetryPolicy
    /// How often the worker looks for work.
    public var pollInterval: Duration

    public init(cipher: CredentialCipher, transport: any SyncTransport = URLSessionSyncTransport(), policy: SyncRetryPolicy = SyncRetryPolicy(), pollInterval: Duration = .seconds(1)) {
        self.cipher = cipher
        self.transport = transport
        self.policy = policy
        self.pollInterval = pollInterval
    }

    /// Settings with a key made for this process only (tests, tools): credentials sealed under it
    /// cannot be opened by another process.
    public static func ephemeral(policy: SyncRetryPolicy = SyncRetryPolicy()) -> SyncSettings {
        SyncSettings(cipher: .random(), policy: policy)
    }
}
