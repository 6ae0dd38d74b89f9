import AgencyCLI
import AgencyHTTP
import AgencyStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `agency backup`: a consistent copy of a live database, from which the service runs as before.
@Suite("agency backup")
struct BackupTests {
    /// Given a service with a sandbox, a snapshot and a client account, and contacts being written
    /// while the backup runs: the copy opens, and every token, credential and snapshot in it works.
    @Test func backupOfALiveDatabaseRestores() async throws {
        let harness = try await CLIHarness()
        let backupPath = harness.databasePath + ".backup"
        defer { try? FileManager.default.removeItem(atPath: backupPath) }

        let (username, password) = try await harness.session { run in
            let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures/fitness-studio.bundle.json").path
            _ = try await run(["sandbox", "create", "Workshop", "--json"], [:])
            _ = try await run(["account", "apply", "1", fixture], [:])
            _ = try await run(["snapshot", "create", "1", "--name", "v1"], [:])
            let created = try await run(["account", "create", "Client", "--snapshot", "1", "--kind", "paid", "--json"], [:])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any])
            let credentials = try #require(json["credentials"] as? [String: Any])
            return (try #require(credentials["username"] as? String), try #require(credentials["password"] as? String))
        }

        // Writes go on during the backup; the copy holds whole transactions only.
        let writer = Task {
            for index in 0..<200 {
                _ = try await harness.database.createContact(accountID: 2, try .init(email: "c\(index)@example.com", firstName: nil, lastName: nil, phone: nil))
            }
        }
        let output = CapturedOutput()
        let context = CLIContext(write: output.write, environment: [:], transport: RouterTransport.unused)
        try await AgencyCommand.execute(["backup", "--database", harness.databasePath, "--to", backupPath], in: context)
        try await writer.value
        #expect(output.text.contains("Backed up"))

        let restored = try AppDatabase.open(path: backupPath)
        let router = buildRouter(database: restored, settings: ServiceSettings(publicURL: "https://restored.test", bcryptCost: 10))
        try await Application(router: router).test(.router) { client in
            let api = RestoredClient(client: client, agencyToken: harness.agencyToken)
            let account = try await api.status(.get, "/v1/accounts/2")
            let snapshot = try await api.status(.post, "/v1/snapshots/1/verify")
            let verify = try await api.status(.get, "/v1/accounts/2/verify")
            let login = try await api.status(.post, "/v1/login", body: ["username": username, "password": password])
            #expect([account, snapshot, verify, login] == [.ok, .ok, .ok, .ok])
        }
    }

    /// A backup never overwrites a file, and never "backs up" a database that is not there.
    @Test func refusesExistingTargetAndMissingSource() async throws {
        let harness = try await CLIHarness()
        let context = CLIContext(write: { _ in }, environment: [:], transport: RouterTransport.unused)
        await #expect(throws: CLIError.self) {
            try await AgencyCommand.execute(["backup", "--database", harness.databasePath, "--to", harness.databasePath], in: context)
        }
        await #expect(throws: CLIError.self) {
            try await AgencyCommand.execute(["backup", "--database", "/nonexistent/agency.sqlite", "--to", harness.databasePath + ".b"], in: context)
        }
    }
}

/// Requests against a restored database.
struct RestoredClient {
    let client: any TestClientProtocol
    let agencyToken: String

    func status(_ method: HTTPRequest.Method, _ path: String, body: [String: String]? = nil) async throws -> HTTPResponse.Status {
        var headers: HTTPFields = [.authorization: "Bearer \(agencyToken)", .contentType: "application/json"]
        if body != nil { headers[.authorization] = nil }
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        return try await client.executeRequest(uri: path, method: method, headers: headers, body: data.map { ByteBuffer(bytes: $0) }).status
    }
}

extension RouterTransport {
    /// For commands that never reach the service.
    static var unused: some HTTPTransport { NoTransport() }
}

struct NoTransport: HTTPTransport {
    func send(method: String, url: String, headers: [String: String], body: Data?) async throws -> (status: Int, headers: [String: String], body: Data) {
        throw CLIError("no service in this test")
    }
}
