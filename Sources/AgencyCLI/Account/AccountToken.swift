import AgencyAPI
import ArgumentParser

/// `agency account token ID` makes a token, as it always has; `token revoke` ends one.
struct AccountToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create a per-account API token (for /api/3), or revoke one.",
        discussion: """
            `agency account tokens ID` lists an account's tokens with their ids.

            Examples:
              $ agency account token 12
              $ agency account token revoke 12 3
            """,
        subcommands: [CreateAccountToken.self, RevokeAccountToken.self],
        defaultSubcommand: CreateAccountToken.self
    )
}

struct CreateAccountToken: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "create",
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
        let label = token.id.map { " \($0)" } ?? ""
        context.write("API token\(label) for account \(id) (shown once; send it as the Api-Token header): \(token.token)")
    }
}
