import AgencyDomain
import AgencyOutbound
import Foundation

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

/// The production transport: the service's one outbound client (policy checked at the socket,
/// redirects not followed, deadlines enforced by the client).
public struct OutboundSyncTransport: SyncTransport {
    let client: OutboundClient

    public init(client: OutboundClient) {
        self.client = client
    }

    public func send(_ request: SyncRequest, timeout: TimeInterval) async throws -> SyncResponse {
        let response = try await client.send(
            method: request.method, url: request.url, headers: request.headers, body: request.body, timeout: .milliseconds(Int64(timeout * 1_000))
        )
        return SyncResponse(status: response.status, headers: response.headers, body: response.body)
    }
}

/// What contact sync needs besides the database: the key that seals credentials, how to reach the
/// remote tools, and how long to wait between tries. `outbound` is the service's one client for calls
/// on users' behalf; webhooks use it too.
public struct SyncSettings: Sendable {
    public var cipher: CredentialCipher
    public var outbound: OutboundClient
    public var transport: any SyncTransport
    public var policy: SyncRetryPolicy
    /// How often the worker looks for work.
    public var pollInterval: Duration

    public init(
        cipher: CredentialCipher, outbound: OutboundClient = .standard, transport: (any SyncTransport)? = nil, policy: SyncRetryPolicy = SyncRetryPolicy(),
        pollInterval: Duration = .seconds(1)
    ) {
        self.cipher = cipher
        self.outbound = outbound
        self.transport = transport ?? OutboundSyncTransport(client: outbound)
        self.policy = policy
        self.pollInterval = pollInterval
    }

    /// Settings with a key made for this process only (tests, tools): credentials sealed under it
    /// cannot be opened by another process.
    public static func ephemeral(outbound: OutboundClient = .standard, policy: SyncRetryPolicy = SyncRetryPolicy()) -> SyncSettings {
        SyncSettings(cipher: .random(), outbound: outbound, policy: policy)
    }
}
