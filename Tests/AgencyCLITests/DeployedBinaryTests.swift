import AgencyTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The `agency` executable as deployed: its own process, its own executor setup (tasks on NIO's event
/// loops, see Sources/agency/main.swift), spoken to over a socket by the CLI and by concurrent clients.
@Suite("The agency binary, as deployed")
struct DeployedBinaryTests {
    /// The README's agency flow against `agency serve`, many reads at once, then a clean stop on SIGTERM.
    @Test func walkthroughLoadAndShutdown() async throws {
        let binary = try Self.agencyBinary()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deployed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("agency.sqlite").path

        let agency = try Self.json(try Self.run(binary, ["agencies", "create", "Deployed Agency", "--database", database, "--json"]))
        let port = Int.random(in: 20_000..<40_000)
        let server = Process()
        server.executableURL = binary
        server.arguments = ["serve", "--database", database, "--port", "\(port)", "--bcrypt-cost", "10"]
        let logPath = directory.appendingPathComponent("serve.log").path
        FileManager.default.createFile(atPath: logPath, contents: nil)
        server.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        server.standardError = FileHandle.nullDevice
        try server.runAlone()
        defer { if server.isRunning { server.terminate() } }
        let url = "http://127.0.0.1:\(port)"
        try await Self.waitUntilServing(url + "/health")

        let environment = ["AGENCY_URL": url, "AGENCY_TOKEN": try #require(agency["token"] as? String)]
        _ = try Self.run(binary, ["sandbox", "create", "Fitness Studio Template"], environment: environment)
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fitness-studio.bundle.json").path
        _ = try Self.run(binary, ["account", "apply", "1", fixture], environment: environment)
        _ = try Self.run(binary, ["snapshot", "create", "1", "--name", "v1"], environment: environment)
        let client = try Self.json(try Self.run(binary, ["account", "create", "Northside Gym", "--snapshot", "1", "--json"], environment: environment))
        let credentials = try #require(client["credentials"] as? [String: Any])
        #expect(try Self.run(binary, ["account", "verify", "2"], environment: environment).contains("Equals snapshot 1."))
        let login = try Self.run(
            binary, ["login", "--username", try #require(credentials["username"] as? String)],
            environment: environment.merging(["AGENCY_PASSWORD": try #require(credentials["password"] as? String)]) { $1 }
        )
        let apiToken = try #require(login.split(separator: " ").last.map(String.init)?.trimmingCharacters(in: .whitespacesAndNewlines))

        // Reads and writes at once, on the client account made from the snapshot.
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<200 {
                group.addTask {
                    if index % 10 == 0 {
                        return try await Self.request(url + "/api/3/contacts", token: apiToken, body: #"{"contact":{"email":"p\#(index)@example.com"}}"#).status
                    }
                    return try await Self.request(url + "/api/3/automations", token: apiToken).status
                }
            }
            return try await group.reduce(into: [Int: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(statuses == [200: 180, 201: 20])
        let page = try await Self.request(url + "/api/3/contacts?limit=5", token: apiToken)
        #expect((try Self.json(page.body)["meta"] as? [String: String]) == ["total": "20"])

        server.terminate()  // SIGTERM
        let stopped = Date()
        while server.isRunning && Date().timeIntervalSince(stopped) < 15 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!server.isRunning)
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)

        // One line per request, in swift-log's stream format, each written whole; never the token.
        let log = try String(contentsOfFile: logPath, encoding: .utf8)
        let reads = log.split(separator: "\n").filter { $0.hasSuffix("] GET /api/3/automations 200") }
        #expect(reads.count == 180)
        let line = try #require(reads.first.map(String.init))
        #expect(line.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} info agency: duration_ms=[0-9.]+ hb\.request\.id=[0-9a-f]+ status=200 \[AgencyHTTP\] GET \/api\/3\/automations 200/) != nil)
        #expect(!log.contains(apiToken))
    }

    /// `agency`, built next to the test bundle by `swift test`.
    static func agencyBinary() throws -> URL {
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("agency"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug/agency"),
        ]
        guard let found = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestFailure("the agency executable was not found next to the tests; build it with `swift build`")
        }
        return found
    }

    static func run(_ binary: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.runAlone()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("agency \(arguments.joined(separator: " ")) failed: \(text)") }
        return text
    }

    static func json(_ text: String) throws -> [String: Any] {
        try json(Data(text.utf8))
    }

    static func json(_ data: Data) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw TestFailure("not a JSON object") }
        return object
    }

    static func request(_ url: String, token: String, body: String? = nil) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.setValue(token, forHTTPHeaderField: "Api-Token")
        if let body {
            request.httpMethod = "POST"
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    static func waitUntilServing(_ url: String) async throws {
        for _ in 0..<200 {
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: url)!),
               (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("\(url) did not come up")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
