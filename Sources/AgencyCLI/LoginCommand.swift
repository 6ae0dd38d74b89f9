import AgencyAPI
import ArgumentParser

struct LoginCommand: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to an account with its username and password; prints a per-account API token.",
        discussion: "The password is read from $AGENCY_PASSWORD, which keeps it out of shell history.\n\nExample:\n  $ agency login --username fitness-studio-k3q9x2"
    )

    @Option(help: "The account's username.") var username: String
    @Option(help: "The password (default: $AGENCY_PASSWORD).") var password: String?
    @OptionGroup var service: ServiceURLOption
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        guard let password = password ?? context.environment["AGENCY_PASSWORD"] else {
            throw CLIError("No password: pass --password or set AGENCY_PASSWORD.")
        }
        let client = ServiceClient(baseURL: service.baseURL(context), token: nil, transport: context.transport)
        let reply = try await client.send("POST", "/v1/login", json: LoginRequest(username: username, password: password))
        if output.json { return context.write(reply.prettyJSON) }
        let token = try reply.decode(TokenReply.self)
        context.write("Logged in to account \(token.account_id).")
        context.write("API token (send it as the Api-Token header on /api/3): \(token.token)")
    }
}
