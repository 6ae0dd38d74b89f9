import AgencyCLI
import AgencyDomain
import AgencyHTTP
import AgencyStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("agency CLI against a live server on loopback")
struct LiveServiceTests {
    /// The real transport (URLSession) reaches a real listening server: the newcomer's path end to end.
    @Test func cliTalksToARunningServer() async throws {
        let harness = try await CLIHarness()
        let router = buildRouter(database: harness.database, settings: ServiceSettings(publicURL: "http://127.0.0.1", bcryptCost: 10))
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let output = CapturedOutput()
            let live = CLIContext.live
            let context = CLIContext(
                write: output.write,
                environment: ["AGENCY_URL": "http://127.0.0.1:\(port)", "AGENCY_TOKEN": harness.agencyToken],
                transport: live.transport
            )
            try await AgencyCommand.execute(["sandbox", "create", "Live Sandbox"], in: context)
            #expect(output.text.contains("Created sandbox account 1 \"Live Sandbox\""))

            // The reply's headers come through URLSession: a retry is told apart from a creation.
            let first = CapturedOutput(), retry = CapturedOutput()
            let create = ["account", "create", "Live Client", "--idempotency-key", "live-1"]
            try await AgencyCommand.execute(create, in: CLIContext(write: first.write, environment: context.environment, transport: live.transport))
            try await AgencyCommand.execute(create, in: CLIContext(write: retry.write, environment: context.environment, transport: live.transport))
            #expect(first.text.hasPrefix("Created trial account 2 \"Live Client\""))
            #expect(retry.text.hasPrefix("Already made by an earlier request with idempotency key 'live-1': trial account 2 \"Live Client\"."))
        }
    }
}
