import AgencyCLI
import Foundation
import Testing

@Suite("agency connection")
struct ConnectionCLITests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fitness-studio.bundle.json").path

    /// create, list, show, update, failures and delete, as a person and a script see them; the secret
    /// comes from the environment and is never printed.
    @Test func connectionsFromTheCommandLine() async throws {
        let harness = try await CLIHarness()
        try await harness.session { run in
            _ = try await run(["sandbox", "create", "Workshop"], [:])
            _ = try await run(["account", "apply", "1", Self.fixture], [:])
            let secret = ["AGENCY_CONNECTION_SECRET": "cli-secret-0123456789"]
            let created = try await run([
                "connection", "create", "1", "--provider", "webhook", "--name", "CRM", "--webhook-url", "http://127.0.0.1:9/events", "--list", "2=newsletter",
                "--field", "first_name=given_name", "--disabled",
            ], secret)
            #expect(created.hasPrefix("Created connection 1 'CRM' (webhook, outbound, disabled)"))
            #expect(created.contains("lists: 2 → newsletter"))
            #expect(!created.contains("cli-secret"))
            #expect(try await run(["connection", "list", "1"], [:]) == "connection 1 'CRM' (webhook, outbound, disabled)")
            let shown = try JSONSerialization.jsonObject(with: Data(try await run(["connection", "show", "1", "1", "--json"], [:]).utf8)) as? [String: Any]
            #expect(shown?["has_credentials"] as? Bool == true)
            // The last name goes by default beside the mapped first name.
            #expect(shown?["fields"] as? [[String: String]] == [["attribute": "given_name", "field": "first_name"], ["attribute": "last_name", "field": "last_name"]])

            let moved = try await run(["connection", "update", "1", "1", "--list", "2=news", "--enable"], [:])
            #expect(moved.hasPrefix("Updated connection 1 'CRM' (webhook, outbound, enabled)"))
            let refused = await #expect(throws: CLIError.self) { _ = try await run(["connection", "update", "1", "1", "--list", "1=members"], [:]) }
            #expect(refused?.description.hasSuffix("(connection_enabled, HTTP 409)") == true)
            let badPair = await #expect(throws: CLIError.self) { _ = try await run(["connection", "update", "1", "1", "--list", "news"], [:]) }
            #expect(badPair?.description == "--list takes A=B; got 'news'.")
            #expect(try await run(["connection", "failures", "1", "1"], [:]) == "No failed contacts on connection 1.")
            let summary = try await run(["connection", "sync", "1", "1"], [:])
            #expect(summary.hasPrefix("sync 1: 0 contacts"))
            #expect(try await run(["connection", "delete", "1", "1", "--yes"], [:]) == "Deleted connection 1.")
            #expect(try await run(["connection", "list", "1"], [:]) == "Account 1 has no connections.")
        }
    }
}
