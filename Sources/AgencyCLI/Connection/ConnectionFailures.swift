import AgencyAPI
import ArgumentParser

struct ConnectionFailures: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "failures", abstract: "List the contacts whose sync failed, with the remote tool's own message.",
        discussion: "Example:\n  $ agency connection failures 12 3"
    )

    @Argument(help: "The account id.") var account: Int64
    @Argument(help: "The connection id.") var id: Int64
    @Option(help: "At most this many (1...100).") var limit = 100
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/accounts/\(account)/connections/\(id)/contacts?status=failed&limit=\(limit)")
        if output.json { return context.write(reply.prettyJSON) }
        let list = try reply.decode(SyncContactList.self)
        if list.contacts.isEmpty { return context.write("No failed contacts on connection \(id).") }
        for contact in list.contacts {
            context.write("contact \(contact.contact_id) \(contact.email.value ?? "(deleted)"): transfer error: \(contact.message.value ?? "")")
        }
        if list.meta.total > list.contacts.count { context.write("… \(list.meta.total - list.contacts.count) more (use --json with ?offset)") }
    }
}
