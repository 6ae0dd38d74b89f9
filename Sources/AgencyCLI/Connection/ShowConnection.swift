import AgencyAPI
import ArgumentParser

struct ShowConnection: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a connection: its mapping, budget, queue and last error (never its credentials).",
        discussion: "Example:\n  $ agency connection show 12 3"
    )

    @Argument(help: "The account id.") var account: Int64
    @Argument(help: "The connection id.") var id: Int64
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/accounts/\(account)/connections/\(id)")
        if output.json { return context.write(reply.prettyJSON) }
        ConnectionOutput.details(try reply.decode(ConnectionBody.self)).forEach(context.write)
    }
}
