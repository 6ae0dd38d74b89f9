import AgencyAPI
import ArgumentParser

struct ListAccounts: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the agency's accounts, newest first.",
        discussion: "Example:\n  $ agency account list --kind sandbox"
    )

    @Option(help: "Only accounts of this kind: sandbox, trial or paid.") var kind: String?
    @OptionGroup var page: PageOptions
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        var query = page.query
        if let kind { query += "&kind=\(kind)" }
        let reply = try await service.client(context).send("GET", "/v1/accounts" + query)
        if output.json { return context.write(reply.prettyJSON) }
        let list = try reply.decode(AccountList.self)
        list.accounts.map(AccountOutput.summary).forEach(context.write)
        context.write("\(list.accounts.count) of \(list.meta.total) accounts shown.")
    }
}
