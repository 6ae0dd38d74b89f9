import ArgumentParser
import Foundation

/// `agency`: run the service, administer its database, and drive it over HTTP.
public struct AgencyCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "agency",
        abstract: "Agency Snapshots: build a client setup once, stamp it out for every client.",
        discussion: """
            Start the service with `agency serve`, make an agency with `agency agencies create NAME`, then use the printed token (AGENCY_TOKEN) with the other commands.

            Examples:
              $ agency serve
              $ agency agencies create "Northwind Marketing"
              $ agency sandbox create "Fitness Studio Template"
            """,
        version: AgencyCommand.version,
        subcommands: [
            Serve.self, Migrate.self, Backup.self, AgenciesCommand.self, SandboxCommand.self, SnapshotCommand.self, AccountCommand.self, ContactsCommand.self, ConnectionCommand.self, LoginCommand.self, BrandingCommand.self, DomainsCommand.self,
        ]
    )

    /// The version `agency --version` prints.
    public static let version = "0.3.0"

    public init() {}
}

extension AgencyCommand {
    /// Parses `arguments` (the process's own when nil) and runs the chosen command in `context`.
    /// Help and usage errors surface as ArgumentParser's errors; `run()` turns them into exit codes.
    public static func execute(_ arguments: [String]?, in context: CLIContext) async throws {
        var command = try parseAsRoot(arguments)
        if let runnable = command as? any AgencyRunnable {
            try await runnable.run(in: context)
        } else {
            try command.run()
        }
    }

    /// The executable's entry point: one line on failure, and a non-zero exit.
    public static func runAsMain() async {
        do {
            try await execute(nil, in: .live)
        } catch {
            guard let line = CLIError.line(for: error) else { exit(withError: error) }
            FileHandle.standardError.write(Data("Error: \(line)\n".utf8))
            exit(withError: ExitCode.failure)
        }
    }
}
