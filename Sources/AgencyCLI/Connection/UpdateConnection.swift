import AgencyAPI
import ArgumentParser

struct UpdateConnection: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change a connection. Credentials, URL and lists change only while it is disabled.",
        discussion: """
            Examples:
              $ agency connection update 12 3 --disable
              $ agency connection update 12 3 --list 2=18 --field phone=SMS
              $ agency connection update 12 3 --enable
            """
    )

    @Argument(help: "The account id.") var account: Int64
    @Argument(help: "The connection id.") var id: Int64
    @Flag(help: "Enable the connection (it queues every contact on its lists).") var enable = false
    @Flag(help: "Disable the connection.") var disable = false
    @OptionGroup var settings: ConnectionSettings
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        if enable, disable { throw CLIError("Pass --enable or --disable, not both.") }
        let request = try settings.request(provider: nil, enabled: enable ? true : (disable ? false : nil), in: context)
        let reply = try await service.client(context).naming(ConnectionSettings.fieldOptions).send("PATCH", "/v1/accounts/\(account)/connections/\(id)", json: request)
        if output.json { return context.write(reply.prettyJSON) }
        let connection = try reply.decode(ConnectionBody.self)
        context.write("Updated " + ConnectionOutput.summary(connection))
        ConnectionOutput.details(connection).dropFirst().forEach(context.write)
    }
}
