import AgencyAPI
import ArgumentParser

struct CreateConnection: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Connect an account to an external email tool; with credentials it is enabled and starts with a full sync.",
        discussion: """
            The Brevo API key is read from $AGENCY_CONNECTION_API_KEY (or --api-key), a webhook's signing secret from $AGENCY_CONNECTION_SECRET (or --secret).

            Examples:
              $ agency connection create 12 --provider brevo --name Brevo --list 2=17
              $ agency connection create 12 --provider webhook --name CRM \\
                  --webhook-url https://crm.example.com/events --list 2=newsletter
            """
    )

    @Argument(help: "The account id.") var account: Int64
    @Option(help: "brevo or webhook.") var provider: String
    @Flag(help: "Create it disabled, even with credentials.") var disabled = false
    @OptionGroup var settings: ConnectionSettings
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let request = try settings.request(provider: provider, enabled: disabled ? false : nil, in: context)
        let reply = try await service.client(context).naming(ConnectionSettings.fieldOptions).send("POST", "/v1/accounts/\(account)/connections", json: request)
        if output.json { return context.write(reply.prettyJSON) }
        let connection = try reply.decode(ConnectionBody.self)
        context.write("Created " + ConnectionOutput.summary(connection))
        ConnectionOutput.details(connection).dropFirst().forEach(context.write)
    }
}
