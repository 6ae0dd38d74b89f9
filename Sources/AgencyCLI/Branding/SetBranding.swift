import AgencyAPI
import ArgumentParser
import Foundation

struct SetBranding: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change the display name, accent colour or logo; what is not given stays as it is.",
        discussion: """
            The logo is a PNG or JPEG file of at most 256 KiB and 2048×2048 pixels; SVG is refused (it can carry script).

            Example:
              $ agency branding set --name "Northwind" --accent "#1f6feb" --logo logo.png
            """
    )

    @Option(help: "The name clients see (pass \"\" to remove it).") var name: String?
    @Option(help: "The accent colour, #rrggbb (pass \"\" to remove it).") var accent: String?
    @Option(help: "A PNG or JPEG file to use as the logo.") var logo: String?
    @Flag(help: "Remove the logo.") var removeLogo = false
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        guard name != nil || accent != nil || logo != nil || removeLogo else {
            throw CLIError("Nothing to set: give --name, --accent, --logo or --remove-logo.")
        }
        if logo != nil, removeLogo { throw CLIError("Give --logo or --remove-logo, not both.") }
        let client = try service.client(context)
        var reply = try await client.send("GET", "/v1/agency/branding")
        if name != nil || accent != nil {
            // The API replaces name and colour together: keep the one not given.
            let current = try reply.decode(BrandingBody.self)
            let request = BrandingRequest(
                display_name: name.map { $0.isEmpty ? nil : $0 } ?? current.display_name.value,
                accent: accent.map { $0.isEmpty ? nil : $0 } ?? current.accent.value
            )
            reply = try await client.send("PUT", "/v1/agency/branding", json: request)
        }
        if let logo {
            let bytes: Data
            do { bytes = try Data(contentsOf: URL(fileURLWithPath: logo)) } catch { throw CLIError("Cannot read the logo file \(logo).") }
            reply = try await client.send("PUT", "/v1/agency/branding/logo", data: bytes, headers: ["Content-Type": "application/octet-stream"])
        }
        if removeLogo { reply = try await client.send("DELETE", "/v1/agency/branding/logo") }
        if output.json { return context.write(reply.prettyJSON) }
        BrandingCommand.lines(try reply.decode(BrandingBody.self)).forEach(context.write)
    }
}
