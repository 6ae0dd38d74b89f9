import AgencyAPI
import ArgumentParser

struct RevokeAccountToken: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke one per-account API token; it stops working at once.",
        discussion: "The account's other tokens keep working. `agency account tokens ID` lists the ids.\n\nExample:\n  $ agency account token revoke 12 3"
    )

    @Argument(help: "The account id.") var id: Int64
    @Argument(help: "The token's id (from `agency account tokens ID`).") var tokenID: Int64
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        _ = try await service.client(context).send("DELETE", "/v1/accounts/\(id)/tokens/\(tokenID)")
        context.write(output.json ? #"{"revoked": \#(tokenID), "account_id": \#(id)}"# : "Revoked token \(tokenID) of account \(id); it no longer opens the account.")
    }
}
