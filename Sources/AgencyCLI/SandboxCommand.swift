import ArgumentParser

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Sandboxes: the agency's workshop accounts (100 contacts, 100 sends).",
        subcommands: [CreateSandbox.self]
    )
}

struct CreateSandbox: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a sandbox and print its login credentials once.",
        discussion: "Example:\n  $ agency sandbox create \"Fitness Studio Template\""
    )

    @Argument(help: "The sandbox's name.") var name: String
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("POST", "/v1/sandboxes", body: ["name": name])
        if service.json { return context.write(reply.prettyJSON) }
        context.write("Created " + AccountOutput.summary(reply.object))
        AccountOutput.credentials(reply.object).forEach(context.write)
    }
}
