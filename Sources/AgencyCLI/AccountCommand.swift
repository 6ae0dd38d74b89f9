import ArgumentParser
import Foundation

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Client accounts (trial, paid) and every account of the agency.",
        subcommands: [
            CreateAccount.self, ListAccounts.self, ShowAccount.self, DeleteAccount.self, AccountToken.self,
            ExportAccount.self, ApplyBundle.self, VerifyAccount.self,
        ]
    )
}

struct CreateAccount: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a client account, blank or from a snapshot, and print its login credentials once.",
        discussion: """
            With --snapshot, every asset of the snapshot is copied in one transaction; automations arrive
            inactive and campaigns as drafts unless asked otherwise. Pass --idempotency-key to make a retry
            safe: the same key and request print the first account again instead of making a second.

            Example:
              $ agency account create "Acme Gym" --snapshot 3 --kind paid --idempotency-key acme-gym
            """
    )

    @Argument(help: "The account's name.") var name: String
    @Option(help: "trial or paid.") var kind = "trial"
    @Option(help: "The snapshot to make the account from.") var snapshot: Int?
    @Option(help: "A key of your choosing that makes retries of this request safe.") var idempotencyKey: String?
    @Flag(help: "Keep automations active as they were in the sandbox.") var activateAutomations = false
    @Flag(help: "Keep campaigns' status as it was in the sandbox.") var activateCampaigns = false
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        var body: [String: Any] = ["name": name, "kind": kind]
        if let snapshot {
            body["snapshot_id"] = snapshot
            body["activate_automations"] = activateAutomations
            body["activate_campaigns"] = activateCampaigns
        }
        let headers = idempotencyKey.map { ["Idempotency-Key": $0] } ?? [:]
        let reply = try await service.client(context).send("POST", "/v1/accounts", body: body, headers: headers)
        if service.json { return context.write(reply.prettyJSON) }
        context.write("Created " + AccountOutput.summary(reply.object) + AccountOutput.origin(reply.object))
        AccountOutput.credentials(reply.object).forEach(context.write)
    }
}

struct VerifyAccount: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that every reference in an account lands, and that it still equals its snapshot.",
        discussion: "Exits non-zero when a reference dangles or the account differs from its snapshot.\n\nExample:\n  $ agency account verify 12"
    )

    @Argument(help: "The account id.") var id: Int
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/accounts/\(id)/verify")
        let check = reply.object
        if service.json {
            context.write(reply.prettyJSON)
        } else {
            let assets = check["assets_checked"] as? Int ?? 0
            let references = check["references_checked"] as? Int ?? 0
            let intact = check["references_intact"] as? Bool == true
            context.write("Account \(id): \(assets) assets, \(references) references, " + (intact ? "none dangling." : "some dangling:"))
            (check["dangling"] as? [String] ?? []).forEach { context.write("  " + $0) }
            switch check["equals_snapshot"] as? Bool {
            case true?: context.write("Equals snapshot \((check["source"] as? [String: Any])?["snapshot_id"] ?? "?").")
            case false?: context.write("Differs from its snapshot:")
            case nil: context.write(check["source"] is NSNull ? "Not made from a snapshot." : "Its snapshot has been deleted; nothing to compare with.")
            }
            (check["differences"] as? [String] ?? []).forEach { context.write("  " + $0) }
        }
        if check["ok"] as? Bool != true { throw CLIError("Account \(id) did not verify.") }
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
