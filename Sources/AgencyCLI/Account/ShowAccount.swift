import AgencyAPI
import ArgumentParser

struct ShowAccount: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an account with its limits, usage and the snapshot it was made from.",
        discussion: "Example:\n  $ agency account show 12"
    )

    @Argument(help: "The account id.") var id: Int64
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/accounts/\(id)")
        if output.json { return context.write(reply.prettyJSON) }
        AccountOutput.details(try reply.decode(AccountBody.self)).forEach(context.write)
    }
}
