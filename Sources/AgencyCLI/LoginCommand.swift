import ArgumentParser

struct LoginCommand: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to an account with its username and password; prints a per-account API token.",
        discussion: "Example (the password read from $AGENCY_PASSWORD):\n  $ agency login --username fitness-studio-k3q9x2"
    )

    @Option(help: "The account's username.") var username: String
    @Option(help: "The password (default: $AGENCY_PASSWORD, which keeps it out of shell history).") var password: String?
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        guard let password = password ?? context.environment["AGENCY_PASSWORD"] else {
            throw CLIError("No password: pass --password or set AGENCY_PASSWORD.")
        }
        let reply = try await service.client(context, needsToken: false)
            .send("POST", "/v1/login", body: ["username": username, "password": password])
        if service.json { return context.write(reply.prettyJSON) }
        context.write("Logged in to account \(reply.object["account_id"].map { "\($0)" } ?? "?").")
        context.write("API token (send it as the Api-Token header on /api/3): \(reply.object["token"] as? String ?? "")")
    }
}
