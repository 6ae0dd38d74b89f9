import AgencyCLI
import ArgumentParser
import Testing

/// Every command, group or leaf, explains itself with an example that can be copied as it is.
@Suite("agency --help")
struct HelpTests {
    /// The whole command tree, found by walking it, so a new command is covered without a list to update.
    static let commands: [[String]] = {
        var found: [[String]] = [[]]
        func walk(_ command: ParsableCommand.Type, _ path: [String]) {
            for sub in command.configuration.subcommands {
                let subPath = path + [sub._commandName]
                found.append(subPath)
                walk(sub, subPath)
            }
        }
        walk(AgencyCommand.self, [])
        return found
    }()

    @Test func theTreeHoldsEveryCommand() {
        #expect(Self.commands.count >= 22)
        #expect(Self.commands.contains(["backup"]) && Self.commands.contains(["snapshot", "verify"]))
    }

    @Test(arguments: commands)
    func helpShowsACopyableExample(_ path: [String]) throws {
        let command = try #require(Self.commandType(path))
        let discussion = command.configuration.discussion
        let examples = discussion.split(separator: "\n").filter { $0.hasPrefix("  $ agency ") }
        #expect(!examples.isEmpty, "agency \(path.joined(separator: " ")) has no example")
        // ArgumentParser wraps help at 80 columns; a longer example would break when copied.
        for example in examples { #expect(example.count <= 78, "\(example)") }
        // Prose is one line per paragraph (the terminal wraps it), never broken mid-sentence.
        for line in discussion.split(separator: "\n") where !line.hasPrefix("  ") {
            #expect([".", ":", ")"].contains(line.last.map(String.init) ?? "."), "broken line in \(path): \(line)")
        }
    }

    @Test func versionIsPrinted() throws {
        #expect(!AgencyCommand.version.isEmpty)
        #expect(throws: (any Error).self) { _ = try AgencyCommand.parseAsRoot(["--version"]) }
    }

    /// `login` takes no agency token, and `account export` prints JSON always: neither offers a flag that does nothing.
    @Test func noFlagThatDoesNothing() throws {
        let login = AgencyCommand.helpMessage(for: try #require(Self.commandType(["login"])))
        #expect(!login.contains("--token"))
        let export = AgencyCommand.helpMessage(for: try #require(Self.commandType(["account", "export"])))
        #expect(!export.contains("--json"))
    }

    static func commandType(_ path: [String]) -> ParsableCommand.Type? {
        var current: ParsableCommand.Type = AgencyCommand.self
        for name in path {
            guard let next = current.configuration.subcommands.first(where: { $0._commandName == name }) else { return nil }
            current = next
        }
        return current
    }
}
