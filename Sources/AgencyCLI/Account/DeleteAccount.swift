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
        try await confirmation.delete("/v1/accounts/\(id)", with: client, in: context) {
            let account = try await client.send("GET", "/v1/accounts/\(id)").decode(AccountBody.self)
            return "Delete \(AccountOutput.summary(account)) and everything in it? This cannot be undone."
        }
        context.write(output.json ? #"{"deleted": \#(id)}"# : "Deleted account \(id).")
    }
}
