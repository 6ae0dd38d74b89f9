import ArgumentParser

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Client accounts (trial, paid) and every account of the agency.",
        subcommands: [
            CreateAccount.self, ListAccounts.self, ShowAccount.self, DeleteAccount.self, AccountToken.self,
            ExportAccount.self, ApplyBundle.self,
        ]
    )
}

struct CreateAccount: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a client account and print its login credentials once.",
        discussion: "Example:\n  $ agency account create \"Acme Gym\" --kind paid"
    )

    @Argument(help: "The account's name.") var name: String
    @Option(help: "trial or paid.") var kind = "trial"
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("POST", "/v1/accounts", body: ["name": name, "kind": kind])
        if service.json { return context.write(reply.prettyJSON) }
        context.write("Created " + AccountOutput.summary(reply.object))
        AccountOutput.credentials(reply.object).forEach(context.write)
    }
}

struct ListAccounts: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the agency's accounts, newest first.",
        discussion: "Example:\n  $ agency account list --kind sandbox"
    )

    @Option(help: "Only accounts of this kind: sandbox, trial or paid.") var kind: String?
    @Option(help: "How many to show (1...100).") var limit = 20
    @Option(help: "How many to skip.") var offset = 0
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        var query = "?limit=\(limit)&offset=\(offset)"
        if let kind { query += "&kind=\(kind)" }
        let reply = try await service.client(context).send("GET", "/v1/accounts" + query)
        if service.json { return context.write(reply.prettyJSON) }
        let accounts = reply.object["accounts"] as? [[String: Any]] ?? []
        let total = (reply.object["meta"] as? [String: Any])?["total"] as? Int ?? accounts.count
        accounts.map(AccountOutput.summary).forEach(context.write)
        context.write("\(accounts.count) of \(total) accounts shown.")
    }
}

struct ShowAccount: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an account with its limits and usage.",
        discussion: "Example:\n  $ agency account show 12"
    )

    @Argument(help: "The account id.") var id: Int
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/accounts/\(id)")
        if service.json { return context.write(reply.prettyJSON) }
        AccountOutput.details(reply.object).forEach(context.write)
    }
}

struct DeleteAccount: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete an account and everything in it. This cannot be undone.",
        discussion: "Example:\n  $ agency account delete 12"
    )

    @Argument(help: "The account id.") var id: Int
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        _ = try await service.client(context).send("DELETE", "/v1/accounts/\(id)")
        context.write(service.json ? #"{"deleted": \#(id)}"# : "Deleted account \(id).")
    }
}

struct AccountToken: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create a per-account API token (for /api/3) and print it once.",
        discussion: "Example:\n  $ agency account token 12"
    )

    @Argument(help: "The account id.") var id: Int
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("POST", "/v1/accounts/\(id)/tokens")
        if service.json { return context.write(reply.prettyJSON) }
        context.write("API token for account \(id) (shown once; send it as the Api-Token header): \(reply.object["token"] as? String ?? "")")
    }
}
