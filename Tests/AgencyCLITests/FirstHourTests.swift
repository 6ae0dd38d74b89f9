import AgencyCLI
import AgencyDomain
import AgencyHTTP
import AgencyTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// What got in a new user's way in the first hour, each fixed and kept fixed.
@Suite("The first hour")
struct FirstHourTests {
    /// `agencies create` says which database file it wrote to, and warns when that file is new.
    @Test func agenciesCreateNamesItsDatabase() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("first-hour-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("agency.sqlite").path
        let output = CapturedOutput()
        let context = CLIContext(write: output.write, environment: [:], transport: NoTransport())
        try await AgencyCommand.execute(["agencies", "create", "Northwind", "--database", path], in: context)
        #expect(output.text.contains("in \(path)."))
        #expect(output.text.contains("That database file is new"))

        let again = CapturedOutput()
        try await AgencyCommand.execute(["agencies", "create", "Southwind", "--database", path], in: CLIContext(write: again.write, environment: [:], transport: NoTransport()))
        #expect(!again.text.contains("is new"))
    }

    /// A database path that cannot be opened is one line naming the path.
    @Test func unopenableDatabaseNamesThePath() async throws {
        let context = CLIContext(write: { _ in }, environment: [:], transport: NoTransport())
        let error = await #expect(throws: CLIError.self) {
            try await AgencyCommand.execute(["migrate", "--database", "/nonexistent-folder/agency.sqlite"], in: context)
        }
        #expect(error?.description.hasPrefix("Cannot open the database at /nonexistent-folder/agency.sqlite") == true)
        #expect(error?.description.contains("\n") == false)
    }

    /// A domain error reaches the terminal as its message, never as a Swift enum.
    @Test func domainErrorsPrintAsTheirMessage() async throws {
        let context = CLIContext(write: { _ in }, environment: [:], transport: NoTransport())
        do {
            try await AgencyCommand.execute(["agencies", "create", " ", "--database", ":memory:"], in: context)
            Issue.record("a blank name was accepted")
        } catch {
            #expect(CLIError.line(for: error) == "A name is required.")
        }
    }

    /// `--kind sandbox` points at the command that makes sandboxes; `--kind gold` offers only client kinds.
    @Test func kindMistakesPointTheWay() async throws {
        let harness = try await CLIHarness()
        try await harness.session { run in
            let sandbox = await #expect(throws: CLIError.self) { _ = try await run(["account", "create", "X", "--kind", "sandbox"], [:]) }
            #expect(sandbox?.description.contains("agency sandbox create NAME") == true)
            let gold = await #expect(throws: CLIError.self) { _ = try await run(["account", "create", "X", "--kind", "gold"], [:]) }
            #expect(gold?.description == "--kind is trial or paid, not 'gold'.")
        }
    }

    /// `account show` says when the snapshot an account came from has since been deleted.
    @Test func showSaysTheSnapshotWasDeleted() async throws {
        let harness = try await CLIHarness()
        try await harness.session { run in
            _ = try await run(["sandbox", "create", "Workshop"], [:])
            _ = try await run(["snapshot", "create", "1", "--name", "v1"], [:])
            _ = try await run(["account", "create", "Client", "--snapshot", "1"], [:])
            #expect(try await !run(["account", "show", "2"], [:]).contains("deleted"))
            _ = try await run(["snapshot", "delete", "1", "--yes"], [:])
            #expect(try await run(["account", "show", "2"], [:]).contains("that snapshot has since been deleted"))
        }
    }

    /// Where the service refuses a request field that a CLI option supplied, the line names the option
    /// (and its environment variable), not the API's field.
    @Test func serviceErrorsNameTheCLIOptions() async throws {
        let harness = try await CLIHarness()
        try await harness.session { run in
            _ = try await run(["sandbox", "create", "Workshop"], [:])
            _ = try await run(["account", "apply", "1", ConnectionCLITests.fixture], [:])
            _ = try await run(["snapshot", "create", "1", "--name", "v1"], [:])
            let webhook = ["connection", "create", "1", "--provider", "webhook", "--name", "Local", "--webhook-url", "http://127.0.0.1:9/events", "--list", "2=news"]
            let shortSecret = await #expect(throws: CLIError.self) { _ = try await run(webhook, ["AGENCY_CONNECTION_SECRET": "whsec_local"]) }
            #expect(shortSecret?.description == "A webhook connection's --secret (or $AGENCY_CONNECTION_SECRET) is required: 16 to 200 characters. (invalid, HTTP 422)")
            let noKey = await #expect(throws: CLIError.self) { _ = try await run(["connection", "create", "1", "--provider", "brevo", "--name", "B", "--list", "2=17", "--api-key", " "], [:]) }
            #expect(noKey?.description.hasPrefix("A brevo connection's --api-key (or $AGENCY_CONNECTION_API_KEY) is required") == true)
            let interval = await #expect(throws: CLIError.self) {
                _ = try await run(webhook + ["--interval=-1"], ["AGENCY_CONNECTION_SECRET": "a-long-enough-local-secret"])
            }
            #expect(interval?.description.hasPrefix("--interval is 0 (only when asked) to ") == true)
            let policy = await #expect(throws: CLIError.self) { _ = try await run(["snapshot", "push", "1", "--accounts", "1", "--policy", "mine"], [:]) }
            #expect(policy?.description.contains("--policy") == true)
            #expect(policy?.description.contains("'policy'") == false)
            let key = await #expect(throws: CLIError.self) { _ = try await run(["account", "create", "C", "--idempotency-key", "has space"], [:]) }
            #expect(key?.description.hasPrefix("--idempotency-key: An Idempotency-Key is 1 to 255 printable ASCII characters") == true)
        }
    }

    /// A port in use is found before anything says it is serving: `agency serve` prints one line naming
    /// the port and its option, no worker reports a failure, and it exits non-zero. Checked for the
    /// public port and for the metrics port, each held by a live server, against the real binary.
    @Test(arguments: ["--port", "--metrics-port"])
    func portInUseIsOneLineNamingIt(option: String) async throws {
        let binary = try DeployedBinaryTests.agencyBinary()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("port-in-use-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let holder = Application(router: Router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await holder.test(.live) { client in
            let taken = try #require(client.port)
            let ports = option == "--port" ? ["--port", "\(taken)"] : ["--port", "0", "--metrics-port", "\(taken)"]
            let database = directory.appendingPathComponent("agency.sqlite").path
            let (status, output) = try await Self.runToExit(binary, ["serve", "--database", database] + ports)
            #expect(status != 0)
            let lines = output.split(separator: "\n").map(String.init)
            #expect(lines == ["Error: Port \(taken) on 127.0.0.1 (\(option)) is already in use, perhaps by another `agency serve`; stop that or choose another with \(option)."])
            #expect(!FileManager.default.fileExists(atPath: database), "the database is opened only once the ports are known to be free")
        }
    }

    /// Runs the binary to its end (killed after 30 s, which fails the test), with stdout and stderr together.
    static func runToExit(_ binary: URL, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.runAlone()
        let started = ContinuousClock.now
        while process.isRunning {
            if ContinuousClock.now - started > .seconds(30) {
                process.terminate()
                Issue.record("agency \(arguments.joined(separator: " ")) was still running after 30 s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, text)
    }
}
