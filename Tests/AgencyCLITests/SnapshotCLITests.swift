import AgencyCLI
import Foundation
import Testing

@Suite("agency snapshot / account create --snapshot")
struct SnapshotCLITests {
    /// The whole agency flow through the CLI: sandbox → assets → snapshot → client account → verify.
    @Test func snapshotAndProvisionThroughTheCLI() async throws {
        let harness = try await CLIHarness()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fitness-studio.bundle.json").path
        try await harness.session { run in
            _ = try await run(["sandbox", "create", "Gym workshop"], [:])
            _ = try await run(["account", "apply", "1", fixture], [:])

            let created = try await run(["snapshot", "create", "1", "--name", "Gym v1"], [:])
            #expect(created.hasPrefix("Created snapshot 1 \"Gym v1\" of sandbox 1"))
            #expect(created.contains("2 automations"))
            #expect(created.contains("left out (4 images, replaced by placeholders):"))
            #expect(created.contains("template 1 /html#img[src]: https://cdn.example.com/logo.png"))

            let json = try await run(["snapshot", "show", "1", "--json"], [:])
            let snapshot = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect((snapshot["digest"] as? String)?.hasPrefix("sha256:") == true)
            #expect(try await run(["snapshot", "list"], [:]).hasSuffix("1 of 1 snapshots shown."))
            #expect(try await run(["snapshot", "verify", "1"], [:]).hasPrefix("Snapshot 1 is intact: sha256:"))

            let account = try await run(["account", "create", "Acme Gym", "--snapshot", "1", "--kind", "paid", "--idempotency-key", "acme"], [:])
            #expect(account.hasPrefix("Created paid account 2 \"Acme Gym\" from snapshot 1 \"Gym v1\""))
            #expect(account.contains("password:"))
            let retried = try await run(["account", "create", "Acme Gym", "--snapshot", "1", "--kind", "paid", "--idempotency-key", "acme"], [:])
            // The same account and credentials, said to be the earlier one rather than "Created" again.
            let firstLine = account.split(separator: "\n").first.map(String.init) ?? ""
            #expect(retried.split(separator: "\n").first == "Already made by an earlier request with idempotency key 'acme': paid account 2 \"Acme Gym\" from snapshot 1 \"Gym v1\". Nothing new was created.")
            #expect(retried.split(separator: "\n").dropFirst(2) == account.split(separator: "\n").dropFirst(2))
            #expect(retried.split(separator: "\n").dropFirst().first == "Login credentials, as the first request got them:")
            #expect(firstLine.hasPrefix("Created "))

            let verified = try await run(["account", "verify", "2"], [:])
            #expect(verified.hasPrefix("Account 2: 22 assets,"))
            #expect(verified.contains("none dangling."))
            #expect(verified.hasSuffix("Equals snapshot 1."))
            #expect(try await run(["account", "show", "2"], [:]).contains("from snapshot 1 \"Gym v1\""))

            let refused = await #expect(throws: CLIError.self) { _ = try await run(["snapshot", "create", "2", "--name", "Nope"], [:]) }
            #expect(refused?.description.contains("not_a_sandbox") == true)
            #expect(try await run(["snapshot", "delete", "1", "--yes"], [:]) == "Deleted snapshot 1.")
            #expect(try await run(["account", "verify", "2"], [:]).hasSuffix("Equals snapshot 1 (since deleted; the account keeps its base)."))
            let gone = await #expect(throws: CLIError.self) { _ = try await run(["snapshot", "show", "1"], [:]) }
            #expect(gone?.description.contains("HTTP 404") == true)
        }
    }
}
