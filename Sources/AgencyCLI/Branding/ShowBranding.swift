import AgencyAPI
import ArgumentParser

struct ShowBranding: AgencyRunnable {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the agency's branding.",
        discussion: "Example:\n  $ agency branding show"
    )

    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/agency/branding")
        if output.json { return context.write(reply.prettyJSON) }
        BrandingCommand.lines(try reply.decode(BrandingBody.self)).forEach(context.write)
    }
}
