import AgencyAPI
import ArgumentParser

struct DeleteConnection: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a connection, its queue and its sync history. The remote tool keeps its contacts.",
        discussion: "Asks for confirmation on a terminal; scripts pass --yes.\n\nExample:\n  $ agency connection delete 12 3 --yes"
    )

    @Argument(help: "The account id.") var account: Int64
    @Argument(help: "The connection id.") var id: Int64
    @OptionGroup var confirmation: ConfirmationOption
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let client = try service.client(context)
        try await confirmation.delete("/v1/accounts/\(account)/connections/\(id)", with: client, in: context) {
            let connection = try await client.send("GET", "/v1/accounts/\(account)/connections/\(id)").decode(ConnectionBody.self)
            return "Delete \(ConnectionOutput.summary(connection))? Its queue and sync history go with it."
        }
        context.write(output.json ? #"{"deleted": \#(id)}"# : "Deleted connection \(id).")
    }
}
