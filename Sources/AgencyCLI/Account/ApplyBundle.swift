import AgencyAPI
import ArgumentParser
import Foundation

struct ApplyBundle: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make an account's assets equal to a bundle, in one transaction (nothing is written if any item is bad).",
        discussion: "Example:\n  $ agency account apply 12 setup.json"
    )

    @Argument(help: "The account id.") var id: Int64
    @Argument(help: "The bundle file, as written by `agency account export` (- for standard input).") var file: String
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CLIError("Cannot read \(file): \(error.localizedDescription)")
        }
        let reply = try await service.client(context).send("PUT", "/v1/accounts/\(id)/bundle", data: data)
        if output.json { return context.write(reply.prettyJSON) }
        let applied = try reply.decode(BundleAppliedBody.self)
        context.write("Applied \(file) to account \(id): \(applied.created) created, \(applied.updated) updated, \(applied.deleted) deleted.")
    }
}
