import AgencyAPI
import ArgumentParser

struct ShowSnapshot: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a snapshot: what it holds and the images it left out.",
        discussion: "Example:\n  $ agency snapshot show 3"
    )

    @Argument(help: "The snapshot id.") var id: Int64
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/snapshots/\(id)")
        if output.json { return context.write(reply.prettyJSON) }
        let snapshot = try reply.decode(SnapshotBody.self)
        context.write(SnapshotOutput.summary(snapshot))
        SnapshotOutput.details(snapshot).forEach(context.write)
    }
}
