import AgencyCLI
import AgencyDomain
import Foundation
import Testing

/// What got in a new user's way in the first hour, each fixed and kept fixed.
@Suite("The first hour")
struct FirstHourTests {
    /// `agencies create` says which database file it wrote to, and warns when that file is new.
    @Test func agenciesCreateNamesItsDatabase() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("first-hour-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("agency.sqlite").path
        let output = CapturedOutput()
        let context = CLIContext(write: output.write, environment: [:], transport: NoTransport())
        try await AgencyCommand.execute(["agencies", "create", "Northwind", "--database", path], in: context)
        #expect(output.text.contains("in \(path)."))
        #expect(output.text.contains("That database file is new"))

        let again = CapturedOutput()
        try await AgencyCommand.execute(["agencies", "create", "Southwind", "--database", path], in: CLIContext(write: again.write, environment: [:], transport: NoTransport()))
        #expect(!again.text.contains("is new"))
    }

    /// A database path that cannot be opened is one line naming the path.
    @Test func unopenableDatabaseNamesThePath() async throws {
        let context = CLIContext(write: { _ in }, environment: [:], transport: NoTransport())
        let error = await #expect(throws: CLIError.self) {
            try await AgencyCommand.execute(["migrate", "--database", "/nonexistent-folder/agency.sqlite"], in: context)
        }
        #expect(error?.description.hasPrefix("Cannot open the database at /nonexistent-folder/agency.sqlite") == true)
        #expect(error?.description.contains("\n") == false)
    }

    /// A domain error reaches the terminal as its message, never as a Swift enum.
    @Test func domainErrorsPrintAsTheirMessage() async throws {
        let context = CLIContext(write: { _ in }, environment: [:], transport: NoTransport())
        do {
            try await AgencyCommand.execute(["agencies", "create", " ", "--database", ":memory:"], in: context)
            Issue.record("a blank name was accepted")
        } catch {
            #expect(CLIError.line(for: error) == "A name is required.")
        }
    }

    /// `--kind sandbox` points at the command that makes sandboxes; `--kind gold` offers only client kinds.
    @Test func kindMistakesPointTheWay() async throws {
        let harness = try await CLIHarness()
        try await harness.session { run in
            let sandbox = await #expect(throws: CLIError.self) { _ = try await run(["account", "create", "X", "--kind", "sandbox"], [:]) }
            #expect(sandbox?.description.contains("agency sandbox create NAME") == true)
            let gold = await #expect(throws: CLIError.self) { _ = try await run(["account", "create", "X", "--kind", "gold"], [:]) }
            #expect(gold?.description == "--kind is trial or paid, not 'gold'.")
        }
    }

    /// `account show` says when the snapshot an account came from has since been deleted.
    @Test func showSaysTheSnapshotWasDeleted() async throws {
        let harness = try await CLIHarness()
        try await harness.session { run in
            _ = try await run(["sandbox", "create", "Workshop"], [:])
            _ = try await run(["snapshot", "create", "1", "--name", "v1"], [:])
            _ = try await run(["account", "create", "Client", "--snapshot", "1"], [:])
            #expect(try await !run(["account", "show", "2"], [:]).contains("deleted"))
            _ = try await run(["snapshot", "delete", "1", "--yes"], [:])
            #expect(try await run(["account", "show", "2"], [:]).contains("that snapshot has since been deleted"))
        }
    }
}
