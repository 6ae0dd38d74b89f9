import ArgumentParser

struct AgenciesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agencies",
        abstract: "Operator commands on agencies (they write to the database directly).",
        discussion: """
            Run them against the database file the service uses.

            Example:
              $ agency agencies create "Northwind Marketing" --database ./agency.sqlite
              $ agency agencies token rotate 1 --database ./agency.sqlite
            """,
        subcommands: [CreateAgency.self, AgencyTokenCommand.self]
    )
}
