import AgencyAPI
import ArgumentParser
import Foundation

struct ListSnapshots: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the agency's snapshots, newest first.",
        discussion: "Example:\n  $ agency snapshot list --sandbox 7"
    )

    @Option(help: "Only snapshots whose name contains this.") var name: String?
    @Option(help: "Only snapshots of this sandbox.") var sandbox: Int64?
    @OptionGroup var page: PageOptions
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        var query = page.query
        if let name { query += "&name=" + (name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }
        if let sandbox { query += "&sandbox_id=\(sandbox)" }
        let reply = try await service.client(context).send("GET", "/v1/snapshots" + query)
        if output.json { return context.write(reply.prettyJSON) }
        let list = try reply.decode(SnapshotList.self)
        list.snapshots.map(SnapshotOutput.summary).forEach(context.write)
        context.write("\(list.snapshots.count) of \(list.meta.total) snapshots shown.")
    }
}
