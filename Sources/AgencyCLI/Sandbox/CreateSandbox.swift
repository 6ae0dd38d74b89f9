import AgencyAPI
import ArgumentParser

struct CreateSandbox: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a sandbox and print its login credentials once.",
        discussion: "Example:\n  $ agency sandbox create \"Fitness Studio Template\""
    )

    @Argument(help: "The sandbox's name.") var name: String
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("POST", "/v1/sandboxes", json: SandboxRequest(name: name))
        if output.json { return context.write(reply.prettyJSON) }
        let account = try reply.decode(AccountBody.self)
        context.write("Created " + AccountOutput.summary(account))
        AccountOutput.credentials(account).forEach(context.write)
    }
}
