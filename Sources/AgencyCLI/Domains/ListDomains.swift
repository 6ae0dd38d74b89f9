import AgencyAPI
import ArgumentParser

struct ListDomains: AgencyRunnable {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the agency's domains, pending and active.",
        discussion: "Example:\n  $ agency domains list"
    )

    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/agency/domains")
        if output.json { return context.write(reply.prettyJSON) }
        let domains = try reply.decode(DomainList.self).domains
        if domains.isEmpty { return context.write("No domains. Add one with `agency domains add HOST`.") }
        domains.flatMap(DomainsCommand.lines).forEach(context.write)
    }
}
