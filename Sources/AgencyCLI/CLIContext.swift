import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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
            write: { print($0) }, environment: ProcessInfo.processInfo.environment, transport: URLSessionTransport(),
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

/// The production transport, over Foundation's URLSession.
struct URLSessionTransport: HTTPTransport {
    func send(method: String, url: String, headers: [String: String], body: Data?) async throws -> (status: Int, headers: [String: String], body: Data) {
        guard let target = URL(string: url) else { throw CLIError("'\(url)' is not a valid service URL.") }
        var request = URLRequest(url: target)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: CLIError("Cannot reach the service at \(url): \(error.localizedDescription)"))
                } else {
                    let response = response as? HTTPURLResponse
                    var replyHeaders: [String: String] = [:]
                    for case let (name as String, value as String) in response?.allHeaderFields ?? [:] { replyHeaders[name.lowercased()] = value }
                    continuation.resume(returning: (response?.statusCode ?? 0, replyHeaders, data ?? Data()))
                }
            }.resume()
        }
    }
}
