import AgencyAPI
import ArgumentParser

struct AccountToken: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create a per-account API token (for /api/3) and print it once.",
        discussion: "Example:\n  $ agency account token 12"
    )

    @Argument(help: "The account id.") var id: Int64
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("POST", "/v1/accounts/\(id)/tokens")
        if output.json { return context.write(reply.prettyJSON) }
        let token = try reply.decode(TokenReply.self)
        context.write("API token for account \(id) (shown once; send it as the Api-Token header): \(token.token)")
    }
}
