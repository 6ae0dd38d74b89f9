import AgencyCLI
import Foundation
import Synchronization
import Testing

/// Destructive commands ask on a terminal, naming what they delete, and take `--yes` in scripts.
@Suite("Confirmation before deleting")
struct ConfirmationTests {
    /// On a terminal, "no" deletes nothing; the question names the account.
    @Test func answeringNoKeepsTheAccount() async throws {
        let harness = try await CLIHarness()
        let asked = Mutex<[String]>([])
        try await harness.session(confirm: { question in asked.withLock { $0.append(question) }; return false }) { run in
            _ = try await run(["account", "create", "Acme Gym", "--kind", "paid"], [:])
            let refused = await #expect(throws: CLIError.self) { _ = try await run(["account", "delete", "1"], [:]) }
            #expect(refused?.description == "Nothing was deleted.")
            #expect(try await run(["account", "show", "1"], [:]).contains("Acme Gym"))
        }
        #expect(asked.withLock { $0 } == ["Delete paid account 1 \"Acme Gym\" and everything in it? This cannot be undone."])
    }

    /// On a terminal, "yes" deletes.
    @Test func answeringYesDeletes() async throws {
        let harness = try await CLIHarness()
        try await harness.session(confirm: { _ in true }) { run in
            _ = try await run(["sandbox", "create", "Workshop"], [:])
            _ = try await run(["snapshot", "create", "1", "--name", "v1"], [:])
            #expect(try await run(["snapshot", "delete", "1"], [:]) == "Deleted snapshot 1.")
        }
    }

    /// In a script (no terminal), deleting without --yes is refused before anything is sent.
    @Test func scriptsNeedYes() async throws {
        let harness = try await CLIHarness()
        try await harness.session { run in
            _ = try await run(["account", "create", "Acme Gym", "--kind", "paid"], [:])
            let refused = await #expect(throws: CLIError.self) { _ = try await run(["account", "delete", "1"], [:]) }
            #expect(refused?.description.contains("--yes") == true)
            #expect(try await run(["account", "delete", "1", "--yes"], [:]) == "Deleted account 1.")
        }
    }
}
