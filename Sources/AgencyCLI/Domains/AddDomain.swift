import AgencyAPI
import ArgumentParser

struct AddDomain: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Claim a host name and print the TXT record that proves it is the agency's.",
        discussion: "Example:\n  $ agency domains add app.northwind.example"
    )

    @Argument(help: "The host name, e.g. app.northwind.example.") var host: String
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("POST", "/v1/agency/domains", json: DomainRequest(host: host))
        if output.json { return context.write(reply.prettyJSON) }
        DomainsCommand.lines(try reply.decode(DomainBody.self)).forEach(context.write)
    }
}
