import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Everything a command touches outside itself: where it writes, what environment it reads,
/// and how it reaches the service. Tests pass their own to capture output and route HTTP in-process.
public struct CLIContext: Sendable {
    public var write: @Sendable (String) -> Void
    public var environment: [String: String]
    public var transport: any HTTPTransport
    /// Asks a yes/no question of a person at a terminal; nil when no one is there to answer (a script).
    public var confirm: (@Sendable (String) -> Bool)?

    public init(
        write: @escaping @Sendable (String) -> Void, environment: [String: String], transport: any HTTPTransport,
        confirm: (@Sendable (String) -> Bool)? = nil
    ) {
        self.write = write
        self.environment = environment
        self.transport = transport
        self.confirm = confirm
    }

    /// The real terminal, process environment and network.
    public static var live: CLIContext {
        CLIContext(
            write: { print($0) }, environment: ProcessInfo.processInfo.environment, transport: AsyncHTTPTransport(),
            confirm: isatty(STDIN_FILENO) == 1 ? Self.askOnTerminal : nil
        )
    }

    @Sendable static func askOnTerminal(_ question: String) -> Bool {
        FileHandle.standardOutput.write(Data((question + " [y/N] ").utf8))
        return ["y", "yes"].contains(readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? "")
    }
}

/// A command that runs against a `CLIContext`.
public protocol AgencyRunnable: AsyncParsableCommand {
    func run(in context: CLIContext) async throws
}

extension AgencyRunnable {
    public func run() async throws {
        try await run(in: .live)
    }
}

/// One HTTP exchange with the service. The reply's header names are lowercased, as HTTP compares
/// them without regard to case.
public protocol HTTPTransport: Sendable {
    func send(method: String, url: String, headers: [String: String], body: Data?) async throws -> (status: Int, headers: [String: String], body: Data)
}

/// The production transport: AsyncHTTPClient, the HTTP client the service uses for its own calls
/// out. The CLI calls only the service it is pointed at (often on loopback), so no address policy
/// applies; the process-wide client needs no shutdown.
struct AsyncHTTPTransport: HTTPTransport {
    func send(method: String, url: String, headers: [String: String], body: Data?) async throws -> (status: Int, headers: [String: String], body: Data) {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(600))
            // Replies can be whole exports and bundles; 256 MiB is far above any the service sends.
            let data = try await response.body.collect(upTo: 256 * 1024 * 1024)
            var replyHeaders: [String: String] = [:]
            for header in response.headers { replyHeaders[header.name.lowercased()] = header.value }
            return (Int(response.status.code), replyHeaders, Data(data.readableBytesView))
        } catch {
            throw CLIError("Cannot reach the service at \(url): \(error).")
        }
    }
}
