import AgencyAPI
import ArgumentParser

struct DeleteSnapshot: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a snapshot for good. Accounts made from it are not affected.",
        discussion: "Asks for confirmation on a terminal; scripts pass --yes.\n\nExample:\n  $ agency snapshot delete 3 --yes"
    )

    @Argument(help: "The snapshot id.") var id: Int64
    @OptionGroup var confirmation: ConfirmationOption
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let client = try service.client(context)
        try await confirmation.delete("/v1/snapshots/\(id)", with: client, in: context) {
            let snapshot = try await client.send("GET", "/v1/snapshots/\(id)").decode(SnapshotBody.self)
            return "Delete \(SnapshotOutput.summary(snapshot)) for good? Accounts made from it keep working."
        }
        context.write(output.json ? #"{"deleted": \#(id)}"# : "Deleted snapshot \(id).")
    }
}
