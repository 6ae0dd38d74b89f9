import ArgumentParser

struct AgencyTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "An agency's API token (writes to the database directly).",
        discussion: """
            For a token that leaked, or whose owner lost it. An agency that still has its token can also call POST /v1/agency/token/rotate.

            Example:
              $ agency agencies token rotate 1 --grace 1h --database ./agency.sqlite
            """,
        subcommands: [RotateAgencyToken.self]
    )
}
