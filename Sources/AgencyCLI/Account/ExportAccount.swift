import ArgumentParser

struct ExportAccount: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print every asset of an account as one JSON document (a bundle), to keep in git.",
        discussion: "Example:\n  $ agency account export 12 > setup.json"
    )

    @Argument(help: "The account id.") var id: Int64
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        context.write(try await service.client(context).send("GET", "/v1/accounts/\(id)/bundle").prettyJSON)
    }
}
