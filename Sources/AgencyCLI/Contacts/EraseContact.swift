import AgencyAPI
import ArgumentParser

struct EraseContact: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a contact for good: every personal value becomes DELETED and it is never mailed again.",
        discussion: "Only when and by whom is kept, in an audit record.\n\nExample:\n  $ agency contacts erase 14 jane@example.com --yes"
    )

    @Argument(help: "The account id.") var id: Int64
    @Argument(help: "The contact's email address.") var email: String
    @OptionGroup var confirmation: ConfirmationOption
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        try confirmation.confirm("Erase \(email) in account \(id) for good?", in: context)
        let reply = try await service.client(context).send("POST", "/v1/accounts/\(id)/contacts/erase", json: EraseContactRequest(email: email))
        if output.json { return context.write(reply.prettyJSON) }
        let erasure = try reply.decode(ContactErasureBody.self)
        context.write("Erased contact \(erasure.contact_id) of account \(id) at \(erasure.erased_at).")
    }
}
