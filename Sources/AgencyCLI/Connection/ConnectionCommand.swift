import ArgumentParser

struct ConnectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connection",
        abstract: "Sync an account's contacts with an external email tool (Brevo, or any tool through signed webhooks).",
        discussion: """
            Credentials come from $AGENCY_CONNECTION_API_KEY (brevo) or $AGENCY_CONNECTION_SECRET (webhook), so they stay out of shell history.

            Examples:
              $ agency connection create 12 --provider brevo --name Brevo --list 2=17
              $ agency connection list 12
              $ agency connection failures 12 3
              $ agency connection sync 12 3
              $ agency connection update 12 3 --disable
            """,
        subcommands: [
            CreateConnection.self, ListConnections.self, ShowConnection.self, UpdateConnection.self, DeleteConnection.self, SyncConnectionNow.self,
            ConnectionFailures.self,
        ]
    )
}
