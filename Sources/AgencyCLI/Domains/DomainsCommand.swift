import AgencyAPI
import ArgumentParser

struct DomainsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "domains",
        abstract: "Custom domains the agency's clients sign in at, proved with a DNS TXT record.",
        discussion: """
            Examples:
              $ agency domains add app.northwind.example
              $ agency domains verify 1
              $ agency domains list
              $ agency account create "Acme Gym" --domain app.northwind.example
            """,
        subcommands: [AddDomain.self, ListDomains.self, VerifyDomain.self, RemoveDomain.self]
    )

    /// A domain as lines for a person: what it is, and the record that proves it while it is pending.
    static func lines(_ domain: DomainBody) -> [String] {
        var lines = ["Domain \(domain.id): \(domain.host) (\(domain.status))"]
        if domain.status != "active" {
            lines.append("  publish: \(domain.verification.name) TXT \"\(domain.verification.value)\"")
            lines.append("  then:    agency domains verify \(domain.id)")
        }
        return lines
    }
}
