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
        if !confirmation.yes {
            let snapshot = try await client.send("GET", "/v1/snapshots/\(id)").decode(SnapshotBody.self)
            try confirmation.confirm("Delete \(SnapshotOutput.summary(snapshot)) for good? Accounts made from it keep working.", in: context)
        }
        _ = try await client.send("DELETE", "/v1/snapshots/\(id)")
        context.write(output.json ? #"{"deleted": \#(id)}"# : "Deleted snapshot \(id).")
    }
}
