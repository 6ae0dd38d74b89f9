import AgencyAPI
import ArgumentParser

struct ListAccountTokens: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "List an account's API tokens: id, created, last used (never the secret).",
        discussion: "\"Last used\" is kept to about a minute.\n\nExample:\n  $ agency account tokens 12"
    )

    @Argument(help: "The account id.") var id: Int64
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/accounts/\(id)/tokens")
        if output.json { return context.write(reply.prettyJSON) }
        let list = try reply.decode(AccountTokenList.self)
        if list.tokens.isEmpty { return context.write("Account \(id) has no API tokens.") }
        context.write("ID  CREATED               LAST USED")
        for token in list.tokens {
            context.write("\(token.id)  \(token.created_at)  \(token.last_used_at.value ?? "not yet")")
        }
    }
}
