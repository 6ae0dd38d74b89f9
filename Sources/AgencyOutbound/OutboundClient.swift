import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// A remote's answer, as much of it as the service reads: status, headers (lower-cased names), and
/// at most `OutboundSettings.maxBodyBytes` of the body. Callers classify it; they never echo the body.
public struct OutboundResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why no answer came; the text is kept with a failed delivery and never holds the remote's bytes.
public struct OutboundFailure: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// The service's one HTTP client for calls on its users' behalf (webhooks, contact sync, the Brevo
/// mapping check), made once by `agency serve` and shut down at exit. Every request goes through the
/// egress guard, which checks the address at the socket; redirects are never followed; deadlines are
/// the client's; requests in flight are bounded per host and in all.
public final class OutboundClient: Sendable {
    struct Running: Sendable {
        let client: HTTPClient
        let egress: EgressGuard
    }

    public let policy: OutboundPolicy
    public let resolver: any OutboundResolver
    public let settings: OutboundSettings
    let running: Task<Running, any Error>
    let gate: OutboundGate

    public init(
        policy: OutboundPolicy = OutboundPolicy(), resolver: any OutboundResolver = SystemResolver(), settings: OutboundSettings = OutboundSettings(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger = Logger(label: "agency.outbound")
    ) {
        self.policy = policy
        self.resolver = resolver
        self.settings = settings
        gate = OutboundGate(perHost: settings.perHostLimit, total: settings.totalLimit)
        running = Task {
            let connect = TimeAmount.nanoseconds(Int64(settings.connectTimeout.components.seconds) * 1_000_000_000 + settings.connectTimeout.components.attoseconds / 1_000_000_000)
            // Only this process may use its guard: a random password, never stored or logged.
            let password = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
            let egress = try await EgressGuard.start(
                policy: policy, resolver: resolver, connectTimeout: connect, password: password, group: group, logger: logger
            )
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: connect, read: nil),
                connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, settings.perHostLimit)),
                proxy: .server(host: "127.0.0.1", port: egress.port, authorization: .basic(username: "agency", password: password))
            )
            configuration.httpVersion = .http1Only
            // A CONNECT the guard refused (403) or could not complete (502) fails the call at once; by
            // default the pool would try again until the connect deadline, holding the queue for it.
            // Deliveries and sync have retries with backoff of their own.
            configuration.connectionPool.retryConnectionEstablishment = false
            return Running(client: HTTPClient(eventLoopGroup: group, configuration: configuration, backgroundActivityLogger: logger), egress: egress)
        }
    }

    /// One shared client with the default policy, for settings made without one (tools, `.ephemeral()`).
    public static let standard = OutboundClient()

    /// Refuses `url` when its scheme is not http(s) or its host resolves to an address the policy
    /// refuses. The guard checks again at the socket; this check only makes the refusal readable.
    public func check(url: String) async throws {
        guard let parsed = URLComponents(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
              let host = parsed.host, !host.isEmpty else {
            throw OutboundRefused(host: "", message: "'\(url.prefix(200))' is not an http or https URL.")
        }
        _ = try await policy.check(host: host, resolver: resolver)
    }

    /// Sends one request; throws `OutboundRefused` for a refused address and `OutboundFailure` when no
    /// answer came within the deadline (refused, reset, closed, timed out).
    public func send(method: String, url: String, headers: [String: String], body: [UInt8]?, timeout: Duration? = nil) async throws -> OutboundResponse {
        try await check(url: url)
        // One remote is one host and port: two receivers on one address do not share a bound.
        let parts = URLComponents(string: url)
        let host = "\(parts?.host?.lowercased() ?? ""):\(parts?.port ?? (parts?.scheme?.lowercased() == "https" ? 443 : 80))"
        await gate.enter(host)
        do {
            let response = try await perform(method: method, url: url, headers: headers, body: body, timeout: timeout)
            await gate.leave(host)
            return response
        } catch {
            await gate.leave(host)
            throw error
        }
    }

    private func perform(method: String, url: String, headers: [String: String], body: [UInt8]?, timeout: Duration?) async throws -> OutboundResponse {
        let client = try await running.value.client
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let limit = min(timeout ?? settings.requestTimeout, settings.requestTimeout)
        let deadline = NIODeadline.now() + .nanoseconds(Int64(limit.components.seconds) * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000)
        do {
            let response = try await client.execute(request, deadline: deadline)
            var names: [String: String] = [:]
            for header in response.headers { names[header.name.lowercased()] = header.value }
            // AsyncHTTPClient's deadline ends with the head: the body is read against the same deadline
            // here (a remote that trickles its body is no answer), up to the cap; the rest is dropped.
            let cap = settings.maxBodyBytes
            let left = max(Int64(0), (deadline - .now()).nanoseconds)
            let kept = try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
                group.addTask {
                    var kept: [UInt8] = []
                    for try await chunk in response.body {
                        kept.append(contentsOf: chunk.readableBytesView.prefix(cap - kept.count))
                        if kept.count >= cap { break }
                    }
                    return kept
                }
                group.addTask {
                    try await Task.sleep(for: .nanoseconds(left))
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                guard let first else { throw HTTPClientError.deadlineExceeded }
                return first
            }
            return OutboundResponse(status: Int(response.status.code), headers: names, body: kept)
        } catch let error as OutboundRefused {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw OutboundFailure(description: "no answer within \(limit)")
        } catch let error as HTTPClientError where error == .invalidProxyResponse {
            // The guard said no at the socket (403) or could not connect (502).
            throw OutboundFailure(description: "no answer: could not connect (or the address was refused at connect time)")
        } catch let error as HTTPClientError where error == .remoteConnectionClosed {
            throw OutboundFailure(description: "no answer: the remote closed the connection")
        } catch {
            throw OutboundFailure(description: "no answer (\(Self.name(of: error)))")
        }
    }

    /// A short name for a transport error; never its text, which could hold what the remote sent.
    static func name(of error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)".prefix(80).description }
        return String(describing: type(of: error))
    }

    /// Closes pooled connections and the guard; call once at exit.
    public func shutdown() async {
        guard let running = try? await running.value else { return }
        try? await running.client.shutdown()
        await running.egress.stop()
    }
}
