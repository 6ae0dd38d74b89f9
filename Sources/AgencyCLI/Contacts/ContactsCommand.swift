import ArgumentParser

struct ContactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "An account's contacts: import and export as CSV, erase one for good.",
        discussion: """
            Examples:
              $ agency contacts export 12 --output contacts.csv
              $ agency contacts import 14 old.csv --map-tag Kunde=Customer
              $ agency contacts erase 14 jane@example.com
            """,
        subcommands: [ExportContacts.self, ImportContacts.self, EraseContact.self]
    )
}
