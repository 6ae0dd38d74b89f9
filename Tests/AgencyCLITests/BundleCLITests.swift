import AgencyCLI
import Foundation
import Testing

@Suite("agency account export / apply")
struct BundleCLITests {
    /// Export writes the bundle; apply writes it into another account and reports what changed;
    /// a bad file is one clear error.
    @Test func exportAndApplyThroughTheCLI() async throws {
        let harness = try await CLIHarness()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fitness-studio.bundle.json").path
        try await harness.session { run in
            _ = try await run(["sandbox", "create", "Source"], [:])
            _ = try await run(["sandbox", "create", "Copy"], [:])
            let applied = try await run(["account", "apply", "1", fixture], [:])
            #expect(applied.hasSuffix("22 created, 0 updated, 0 deleted."))

            let exported = try await run(["account", "export", "1"], [:])
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("setup-\(UUID().uuidString).json")
            try Data(exported.utf8).write(to: file)
            let copied = try await run(["account", "apply", "2", file.path], [:])
            #expect(copied.hasSuffix("22 created, 0 updated, 0 deleted."))
            #expect(try await run(["account", "export", "2"], [:]) == exported)

            try Data(#"{"assets": {"tags": [{"id": "1"}]}}"#.utf8).write(to: file)
            let error = await #expect(throws: CLIError.self) { _ = try await run(["account", "apply", "2", file.path], [:]) }
            #expect(error?.description.contains("assets.tags[0].tag") == true)
            await #expect(throws: CLIError.self) { _ = try await run(["account", "apply", "2", "/no/such/file.json"], [:]) }
        }
    }
}
