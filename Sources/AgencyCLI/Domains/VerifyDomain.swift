import AgencyAPI
import ArgumentParser

struct VerifyDomain: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Have the service read the domain's TXT record now; the domain is active once it is found.",
        discussion: "Example:\n  $ agency domains verify 1"
    )

    @Argument(help: "The domain id.") var id: Int64
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("POST", "/v1/agency/domains/\(id)/verify")
        if output.json { return context.write(reply.prettyJSON) }
        DomainsCommand.lines(try reply.decode(DomainBody.self)).forEach(context.write)
    }
}
