import AgencyTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

/// Issue 26: a receiver that accepts and never answers holds the deployed service's calls without
/// costing it CPU: the wait is the client's deadline, not a loop. Measured on the `agency` binary,
/// alone in its process, from /proc (user + system time).
@Suite("Outbound calls: a tarpit costs no CPU")
struct OutboundIdleTests {
    @Test func heldCallsToATarpitLeaveTheServiceIdle() async throws {
        let binary = try DeployedBinaryTests.agencyBinary()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outbound-idle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("agency.sqlite").path
        let agency = try DeployedBinaryTests.json(try DeployedBinaryTests.run(binary, ["agencies", "create", "Idle Agency", "--database", database, "--json"]))
        let agencyToken = try #require(agency["token"] as? String)
        let tarpit = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { $0.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        let tarpitPort = try #require(tarpit.localAddress?.port)
        let port = Int.random(in: 50_000..<60_000)
        let url = "http://127.0.0.1:\(port)"
        let server = Process()
        server.executableURL = binary
        server.arguments = ["serve", "--database", database, "--port", "\(port)", "--bcrypt-cost", "10", "--allow-outbound", "127.0.0.1/32", "--outbound-timeout", "15"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.runAlone()
        defer {
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
            tarpit.close(promise: nil)
        }
        try await DeployedBinaryTests.waitUntilServing(url + "/health")
        let environment = ["AGENCY_URL": url, "AGENCY_TOKEN": agencyToken]
        _ = try DeployedBinaryTests.run(binary, ["sandbox", "create", "Idle Sandbox"], environment: environment)
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/fitness-studio.bundle.json").path
        _ = try DeployedBinaryTests.run(binary, ["account", "apply", "1", fixture], environment: environment)
        let token = try #require(try DeployedBinaryTests.run(binary, ["account", "token", "1"], environment: environment).split(separator: " ").last.map(String.init))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        for index in 1...5 {
            let made = try await DeployedBinaryTests.request(
                url + "/api/3/webhooks", token: token,
                body: #"{"webhook":{"name":"Tarpit \#(index)","url":"http://127.0.0.1:\#(tarpitPort)/hook\#(index)","events":["subscribe"]}}"#
            )
            #expect(made.status == 201, "\(String(decoding: made.body, as: UTF8.self))")
        }
        _ = try await DeployedBinaryTests.request(url + "/api/3/contacts", token: token, body: #"{"contact":{"email":"held@example.com"}}"#)
        _ = try await DeployedBinaryTests.request(url + "/api/3/contactLists", token: token, body: #"{"contactList":{"contact":"1","list":"2","status":1}}"#)
        // The deliverer polls each second: then five calls wait on the tarpit for up to 15 s.
        try await Task.sleep(for: .seconds(2))
        let before = try Self.cpuSeconds(of: server.processIdentifier), start = Date()
        try await Task.sleep(for: .seconds(4))
        let share = (try Self.cpuSeconds(of: server.processIdentifier) - before) / Date().timeIntervalSince(start)
        #expect(share < 0.3, "CPU while five calls wait on a tarpit: \(Int(share * 100))% of one core")
    }

    /// User plus system time of a process, from /proc/PID/stat (fields 14 and 15, in clock ticks).
    static func cpuSeconds(of pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The command name (field 2) is in parentheses and may hold spaces: count from after it.
        let fields = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
        let ticks = Double(fields[11])! + Double(fields[12])!
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
