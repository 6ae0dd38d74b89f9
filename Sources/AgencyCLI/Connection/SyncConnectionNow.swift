import AgencyAPI
import ArgumentParser

struct SyncConnectionNow: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Sync now: compare every contact with the remote tool, send what differs, print the summary.",
        discussion: "Example:\n  $ agency connection sync 12 3"
    )

    @Argument(help: "The account id.") var account: Int64
    @Argument(help: "The connection id.") var id: Int64
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("POST", "/v1/accounts/\(account)/connections/\(id)/sync")
        if output.json { return context.write(reply.prettyJSON) }
        context.write(ConnectionOutput.run(try reply.decode(SyncRunBody.self)))
    }
}
