import AgencyAPI
import ArgumentParser

struct CreateSnapshot: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Take a snapshot of a sandbox's assets (and, if asked, its contacts and deals).",
        discussion: """
            Images are never copied: each one is replaced by a placeholder and listed, so the client account's owner knows what to upload.

            Example:
              $ agency snapshot create 7 --name "Gym starter v1" --include contacts,deals
            """
    )

    @Argument(help: "The sandbox's account id.") var sandboxID: Int64
    @Option(help: "A name for the snapshot.") var name: String
    @Option(help: "Data to include besides configuration: contacts, deals (comma-separated).") var include: String?
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let includes = include.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let request = SnapshotRequest(sandbox_id: sandboxID, name: name, include: includes)
        let reply = try await service.client(context).naming(FieldOptions(["name": "--name", "include": "--include"])).send("POST", "/v1/snapshots", json: request)
        if output.json { return context.write(reply.prettyJSON) }
        let snapshot = try reply.decode(SnapshotBody.self)
        context.write("Created " + SnapshotOutput.summary(snapshot))
        SnapshotOutput.details(snapshot).forEach(context.write)
    }
}
