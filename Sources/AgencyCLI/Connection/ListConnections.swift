import AgencyAPI
import ArgumentParser

struct ListConnections: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List an account's connections.", discussion: "Example:\n  $ agency connection list 12"
    )

    @Argument(help: "The account id.") var account: Int64
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/accounts/\(account)/connections")
        if output.json { return context.write(reply.prettyJSON) }
        let list = try reply.decode(ConnectionList.self)
        if list.connections.isEmpty { return context.write("Account \(account) has no connections.") }
        list.connections.map(ConnectionOutput.summary).forEach(context.write)
    }
}
