import AgencyAPI
import ArgumentParser

struct DeleteAccount: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete an account and everything in it. This cannot be undone.",
        discussion: "Asks for confirmation on a terminal; scripts pass --yes.\n\nExample:\n  $ agency account delete 12 --yes"
    )

    @Argument(help: "The account id.") var id: Int64
    @OptionGroup var confirmation: ConfirmationOption
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let client = try service.client(context)
        if !confirmation.yes {
            let account = try await client.send("GET", "/v1/accounts/\(id)").decode(AccountBody.self)
            try confirmation.confirm("Delete \(AccountOutput.summary(account)) and everything in it? This cannot be undone.", in: context)
        }
        _ = try await client.send("DELETE", "/v1/accounts/\(id)")
        context.write(output.json ? #"{"deleted": \#(id)}"# : "Deleted account \(id).")
    }
}
