import AgencyAPI
import ArgumentParser

struct BrandingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "branding",
        abstract: "The agency's branding: the name, accent colour and logo its clients see instead of the service's.",
        discussion: """
            Examples:
              $ agency branding show
              $ agency branding set --name "Northwind" --accent "#1f6feb" --logo logo.png
            """,
        subcommands: [ShowBranding.self, SetBranding.self]
    )

    /// The branding as lines for a person.
    static func lines(_ branding: BrandingBody) -> [String] {
        [
            "display name: \(branding.display_name.value ?? "(none: clients see the service's name)")",
            "accent: \(branding.accent.value ?? "(none)")",
            "logo: \(branding.logo_url.value ?? "(none)")",
        ]
    }
}
