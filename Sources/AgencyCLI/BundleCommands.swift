import ArgumentParser
import Foundation

struct ExportAccount: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print every asset of an account as one JSON document (a bundle), to keep in git.",
        discussion: "Example:\n  $ agency account export 12 > setup.json"
    )

    @Argument(help: "The account id.") var id: Int
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/accounts/\(id)/bundle")
        context.write(reply.prettyJSON)
    }
}

struct ApplyBundle: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make an account's assets equal to a bundle, in one transaction (nothing is written if any item is bad).",
        discussion: "Example:\n  $ agency account apply 12 setup.json"
    )

    @Argument(help: "The account id.") var id: Int
    @Argument(help: "The bundle file, as written by `agency account export` (- for standard input).") var file: String
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CLIError("Cannot read \(file): \(error.localizedDescription)")
        }
        let reply = try await service.client(context).send("PUT", "/v1/accounts/\(id)/bundle", rawJSON: data)
        if service.json { return context.write(reply.prettyJSON) }
        let counts = reply.object
        context.write("Applied \(file) to account \(id): \(counts["created"] ?? 0) created, \(counts["updated"] ?? 0) updated, \(counts["deleted"] ?? 0) deleted.")
    }
}
