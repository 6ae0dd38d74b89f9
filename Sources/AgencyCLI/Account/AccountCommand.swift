import ArgumentParser

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Client accounts (trial, paid) and every account of the agency.",
        discussion: """
            Examples:
              $ agency account create "Acme Gym" --snapshot 3 --kind paid
              $ agency account list --kind sandbox
              $ agency account verify 12
              $ agency account drift 12
              $ agency account update 12 --snapshot 4 --dry-run
            """,
        subcommands: [
            CreateAccount.self, ListAccounts.self, ShowAccount.self, DeleteAccount.self, AccountToken.self, ListAccountTokens.self,
            ExportAccount.self, ApplyBundle.self, VerifyAccount.self, ShowDrift.self, UpdateAccount.self, AccountHistory.self,
        ]
    )
}
