import AgencyDomain
import AgencyStorage
import ArgumentParser
import Foundation

struct CreateAgency: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an agency and print its API token (shown once; only its hash is stored).",
        discussion: "Example:\n  $ agency agencies create \"Northwind Marketing\" --database ./agency.sqlite"
    )

    @Argument(help: "The agency's name.") var name: String
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let name = try AccountName.validated(name)
        let token = Secrets.newToken(prefix: "agency")
        let opened = try OpenedDatabase(database.resolvedPath(context))
        let id = try await opened.database.createAgency(name: name, tokenDigest: Secrets.digest(ofToken: token))
        if output.json {
            let object: [String: Any] = ["id": id, "name": name, "token": token, "database": opened.path]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            context.write(String(decoding: data, as: UTF8.self))
        } else {
            context.write("Created agency \(id) \"\(name)\" in \(opened.path).")
            if opened.isNew {
                context.write("That database file is new: a service already running on another file will not know this agency (start it with `agency serve --database \(opened.path)`).")
            }
            context.write("API token (shown once, store it now): \(token)")
            context.write("Use it with: export AGENCY_TOKEN=\(token)")
        }
    }
}
