import AgencyDomain
import AgencyStorage
import ArgumentParser
import Foundation

struct AgenciesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agencies",
        abstract: "Operator commands on agencies (they write to the database directly).",
        subcommands: [CreateAgency.self]
    )
}

struct CreateAgency: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an agency and print its API token (shown once; only its hash is stored).",
        discussion: "Example:\n  $ agency agencies create \"Northwind Marketing\" --database ./agency.sqlite"
    )

    @Argument(help: "The agency's name.") var name: String
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print JSON, for scripts.") var json = false

    func run(in context: CLIContext) async throws {
        let name = try AccountName.validated(name)
        let token = Secrets.newToken(prefix: "agency")
        let id = try await AppDatabase.open(path: database.resolvedPath(context))
            .createAgency(name: name, tokenDigest: Secrets.digest(ofToken: token))
        if json {
            let object: [String: Any] = ["id": id, "name": name, "token": token]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            context.write(String(decoding: data, as: UTF8.self))
        } else {
            context.write("Created agency \(id) \"\(name)\".")
            context.write("API token (shown once, store it now): \(token)")
            context.write("Use it with: export AGENCY_TOKEN=\(token)")
        }
    }
}

