import AgencyCLI
import AgencyDomain
import AgencyHTTP
import AgencyStorage
import AgencyTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization

/// What a command printed.
final class CapturedOutput: Sendable {
    private let lines = Mutex<[String]>([])
    func write(_ line: String) { lines.withLock { $0.append(line) } }
    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

/// Routes the CLI's HTTP requests into the router under test, without a socket.
struct RouterTransport: HTTPTransport {
    let client: any TestClientProtocol

    func send(method: String, url: String, headers: [String: String], body: Data?) async throws -> (status: Int, headers: [String: String], body: Data) {
        let path = URL(string: url).map { $0.path + ($0.query.map { "?" + $0 } ?? "") } ?? url
        var fields = HTTPFields()
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        let response = try await client.executeRequest(
            uri: path, method: HTTPRequest.Method(method)!, headers: fields, body: body.map { ByteBuffer(bytes: $0) }
        )
        let replyHeaders = Dictionary(response.headers.map { ($0.name.canonicalName, $0.value) }) { first, _ in first }
        return (Int(response.status.code), replyHeaders, Data(response.body.readableBytesView))
    }
}

/// A service on a fresh database file, and a way to run `agency …` against it.
struct CLIHarness {
    let file = TemporaryDatabaseFile(prefix: "cli")
    var databasePath: String { file.path }
    let database: AppDatabase
    let agencyToken: String

    init() async throws {
        database = try AppDatabase.open(path: file.path)
        agencyToken = Secrets.newToken(prefix: "agency")
        try await database.createAgency(name: "CLI Agency", tokenDigest: Secrets.digest(ofToken: agencyToken))
    }

    /// Runs `body` with a function that executes one command line and returns what it printed.
    /// `confirm` answers destructive commands' questions as a person at a terminal would; nil is a script.
    func session<T: Sendable>(
        confirm: (@Sendable (String) -> Bool)? = nil, settings: ServiceSettings = ServiceSettings(publicURL: "https://cli.test", bcryptCost: 10),
        _ body: @Sendable (_ run: @Sendable ([String], [String: String]) async throws -> String) async throws -> T
    ) async throws -> T {
        let router = buildRouter(database: database, settings: settings, sync: .ephemeral(outbound: .loopbackForTests))
        let token = agencyToken
        return try await Application(router: router).test(.router) { client in
            try await body { arguments, environment in
                let output = CapturedOutput()
                let context = CLIContext(
                    write: output.write, environment: ["AGENCY_TOKEN": token].merging(environment) { $1 },
                    transport: RouterTransport(client: client), confirm: confirm
                )
                try await AgencyCommand.execute(arguments, in: context)
                return output.text
            }
        }
    }
}
