import AgencyAPI
import ArgumentParser

struct RemoveDomain: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a domain; accounts on it go back to the service's own login URL.",
        discussion: "Asks for confirmation on a terminal; scripts pass --yes.\n\nExample:\n  $ agency domains remove 1 --yes"
    )

    @Argument(help: "The domain id.") var id: Int64
    @OptionGroup var confirmation: ConfirmationOption
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let client = try service.client(context)
        try await confirmation.delete("/v1/agency/domains/\(id)", with: client, in: context) {
            let domain = try await client.send("GET", "/v1/agency/domains/\(id)").decode(DomainBody.self)
            return "Remove \(domain.host)? Its clients' sign-in page goes back to the service's own address."
        }
        context.write(output.json ? #"{"deleted": \#(id)}"# : "Removed domain \(id).")
    }
}
