import AgencyCLI
import AgencyDomain
import AgencyHTTP
import AgencyStorage
import ArgumentParser
import Foundation
import Testing

@Suite("CLI: agency branding and agency domains")
struct BrandingCLITests {
    /// A PNG's signature and IHDR chunk, enough for the service's checks.
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 0, 48, 0, 0, 0, 16, 8, 6, 0, 0, 0]

    static func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func brandingIsSetAndShown() async throws {
        let harness = try await CLIHarness()
        let logo = try Self.file("logo.png", Self.png)
        let svg = try Self.file("logo.svg", Array("<svg onload=\"alert(1)\"/>".utf8))
        defer { try? FileManager.default.removeItem(atPath: logo); try? FileManager.default.removeItem(atPath: svg) }
        let (set, accentOnly, shown, refused) = try await harness.session { run in
            let set = try await run(["branding", "set", "--name", "Northwind Digital", "--accent", "#1F6FEB", "--logo", logo], [:])
            let accentOnly = try await run(["branding", "set", "--accent", "#000000"], [:])
            let shown = try await run(["branding", "show"], [:])
            var refused = ""
            do { _ = try await run(["branding", "set", "--logo", svg], [:]) } catch { refused = CLIError.line(for: error) ?? "" }
            return (set, accentOnly, shown, refused)
        }
        #expect(set.contains("display name: Northwind Digital") && set.contains("accent: #1f6feb") && set.contains("logo: /branding/logos/"))
        #expect(accentOnly.contains("display name: Northwind Digital"), "the name not given stays")
        #expect(shown.contains("accent: #000000"))
        #expect(refused.contains("SVG logos are refused") && !refused.contains("\n"))
    }

    @Test func domainsAreAddedListedAndGivenToAnAccount() async throws {
        let harness = try await CLIHarness()
        let (added, taken, verified, created, listed, removed) = try await harness.session(confirm: nil) { run in
            let added = try await run(["domains", "add", "app.northwind.example"], [:])
            var taken = ""
            do { _ = try await run(["domains", "add", "APP.northwind.example"], [:]) } catch { taken = CLIError.line(for: error) ?? "" }
            // The TXT check itself is tested against a fake DNS server in AgencyHTTPTests.
            _ = try await harness.database.markDomainVerified(id: 1, agencyID: 1)
            let verified = try await run(["domains", "verify", "1"], [:])
            let created = try await run(["account", "create", "Acme Gym", "--domain", "app.northwind.example"], [:])
            let listed = try await run(["domains", "list"], [:])
            let removed = try await run(["domains", "remove", "1", "--yes"], [:])
            return (added, taken, verified, created, listed, removed)
        }
        #expect(added.contains("Domain 1: app.northwind.example (pending)"))
        #expect(added.contains("_agency-snapshots.app.northwind.example TXT \"agency-snapshots-verify="))
        #expect(taken.contains("domain_taken"))
        #expect(verified.contains("(active)") && !verified.contains("publish:"))
        #expect(created.contains("https://app.northwind.example/login"))
        #expect(listed.contains("app.northwind.example (active)"))
        #expect(removed == "Removed domain 1.")
    }

    @Test func serveRefusesAResolverThatIsNotAnAddress() throws {
        #expect(throws: (any Error).self) { _ = try AgencyCommand.parseAsRoot(["serve", "--dns-resolver", "dns.example.com"]) }
        // A port out of range is an error, not a trap in the socket address.
        for resolver in ["127.0.0.1:70000", "127.0.0.1:-1", "[::1]:65536", "[::1]:0"] {
            #expect(throws: (any Error).self) { _ = try AgencyCommand.parseAsRoot(["serve", "--dns-resolver", resolver]) }
        }
        #expect(throws: Never.self) { _ = try AgencyCommand.parseAsRoot(["serve", "--dns-resolver", "127.0.0.1:5353"]) }
    }
}
