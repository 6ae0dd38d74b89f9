import AgencyCLI
import Foundation
import Testing

@Suite("agency snapshot diff / push, account drift / update / history")
struct UpdateCLITests {
    /// Changes one field of template 1 in a bundle document and writes it to a temporary file.
    func bundle(_ json: String, template field: String, _ value: String) throws -> String {
        var document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var assets = try #require(document["assets"] as? [String: Any])
        var templates = try #require(assets["templates"] as? [[String: Any]])
        templates[0][field] = value
        assets["templates"] = templates
        document["assets"] = assets
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-\(UUID().uuidString).json").path
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The agency improves the sandbox, the client edits its account, and a push brings the agency's
    /// change without losing the client's.
    @Test func improveSnapshotPushAndTheClientsEditSurvives() async throws {
        let harness = try await CLIHarness()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fitness-studio.bundle.json").path
        try await harness.session { run in
            _ = try await run(["sandbox", "create", "Gym workshop"], [:])
            _ = try await run(["account", "apply", "1", fixture], [:])
            _ = try await run(["snapshot", "create", "1", "--name", "Gym v1"], [:])
            _ = try await run(["account", "create", "Acme Gym", "--snapshot", "1", "--kind", "paid"], [:])

            _ = try await run(["account", "apply", "1", try bundle(try await run(["account", "export", "1"], [:]), template: "html", "<p>v2</p>")], [:])
            _ = try await run(["snapshot", "create", "1", "--name", "Gym v2"], [:])
            _ = try await run(["account", "apply", "2", try bundle(try await run(["account", "export", "2"], [:]), template: "subject", "Acme's own")], [:])

            let diff = try await run(["snapshot", "diff", "1", "2"], [:])
            #expect(diff.hasPrefix("Snapshot 1 → 2: 0 added, 0 removed, 1 changed, 21 unchanged."))
            #expect(diff.contains("changed  template 1 \"Welcome\""))
            #expect(diff.contains("    /html: "))
            let drift = try await run(["account", "drift", "2"], [:])
            #expect(drift.hasPrefix("Account 2 since snapshot 1: 1 edited, 0 added, 0 deleted."))
            #expect(drift.contains("  edited  template 1 \"Welcome\""))
            #expect(drift.contains("    /subject: ") && drift.contains(" → \"Acme's own\""))

            let preview = try await run(["snapshot", "push", "2", "--dry-run"], [:])
            // A dry run says it previewed and changed nothing, never that it pushed.
            #expect(preview == "[1/1] account 2: previewed (1 applied, 1 kept, 0 conflicts, 0 created, 0 removed)\nPreviewed a push of snapshot 2 to 1 account(s): 1 previewed; nothing was changed.")
            let pushed = try await run(["snapshot", "push", "2"], [:])
            #expect(pushed == "[1/1] account 2: updated (1 applied, 1 kept, 0 conflicts, 0 created, 0 removed)\nPushed snapshot 2 to 1 account(s): 1 updated.")

            let exported = try #require(try JSONSerialization.jsonObject(with: Data(try await run(["account", "export", "2"], [:]).utf8)) as? [String: Any])
            let template = try #require(((exported["assets"] as? [String: Any])?["templates"] as? [[String: Any]])?.first)
            #expect(template["subject"] as? String == "Acme's own" && template["html"] as? String == "<p>v2</p>")
            #expect(try await run(["account", "history", "2"], [:]).contains("snapshot 1 → 2 (keep_client): 1 applied, 1 kept"))
            #expect(try await run(["account", "update", "2", "--snapshot", "2"], [:]) == "Account 2 is already at snapshot 2; nothing to do.")
            #expect(try await run(["snapshot", "push", "2"], [:]) == "No account is behind snapshot 2.")
            let refused = await #expect(throws: CLIError.self) { _ = try await run(["account", "update", "2", "--snapshot", "99"], [:]) }
            #expect(refused?.description.contains("HTTP 404") == true)
            let badPolicy = await #expect(throws: CLIError.self) { _ = try await run(["account", "update", "2", "--snapshot", "2", "--policy", "mine"], [:]) }
            #expect(badPolicy?.description.contains("policy") == true)
        }
    }
}
