import AgencyDomain
import AgencyTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// Contact sync in the deployed `agency` binary, killed with SIGKILL in the middle of a delivery and
/// started again on the same database.
@Suite("Contact sync survives SIGKILL")
struct SyncCrashTests {
    /// A webhook receiver that applies each event id once, refuses one address with a 400, and holds
    /// the request it is told to hold until released (the service is killed meanwhile).
    final class Receiver: Sendable {
        struct State: Sendable {
            var requests = 0
            var applied: [(id: String, contact: String, firstName: String)] = []
            var duplicates = 0
            var holding = false
            var heldContact = ""
            var released = false
        }

        let secret = "crash-test-secret-0123456789"
        let holdRequest: Int
        let state = Mutex(State())

        init(holdRequest: Int) { self.holdRequest = holdRequest }

        func router() -> Router<BasicRequestContext> {
            let router = Router()
            router.post("events") { request, _ -> Response in
                let bytes = Array(String(buffer: try await request.body.collect(upTo: 1 << 20)).utf8)
                guard SyncSignature.verify(header: request.headers[HTTPField.Name("Signature")!] ?? "", secret: self.secret, body: bytes, now: Date()),
                      let object = (try? JSONValue.parse(String(decoding: bytes, as: UTF8.self)))?.objectValue,
                      let id = object["id"]?.stringValue, let contact = object["contact"]?.objectValue
                else { return Response(status: .unauthorized) }
                let email = contact["email"]?.stringValue ?? ""
                if email == "refused@example.com" { return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: #"{"message":"Address refused"}"#))) }
                let hold = self.state.withLock { state -> Bool in
                    state.requests += 1
                    if state.applied.contains(where: { $0.id == id }) {
                        state.duplicates += 1
                    } else {
                        // Applied on arrival: the answer may never reach the service, which then sends it again.
                        state.applied.append((id, contact["id"]?.stringValue ?? "", contact["attributes"]?.objectValue?["first_name"]?.stringValue ?? ""))
                    }
                    if state.requests == self.holdRequest {
                        state.holding = true
                        state.heldContact = contact["id"]?.stringValue ?? ""
                        return true
                    }
                    return false
                }
                if hold {
                    for _ in 0..<1_000 where !self.state.withLock({ $0.released }) { try await Task.sleep(for: .milliseconds(10)) }
                }
                return Response(status: .ok)
            }
            return router
        }
    }

    /// Nothing is lost or applied twice, order per contact holds, the budget is not passed, and the
    /// refused contact is the one failed, across a SIGKILL during a delivery and a restart.
    @Test func nothingIsLostOrAppliedTwiceAcrossAKill() async throws {
        let binary = try DeployedBinaryTests.agencyBinary()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sync-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("agency.sqlite").path
        let agency = try DeployedBinaryTests.json(try DeployedBinaryTests.run(binary, ["agencies", "create", "Crash Agency", "--database", database, "--json"]))
        let agencyToken = try #require(agency["token"] as? String)
        let receiver = Receiver(holdRequest: 4)

        try await Application(router: receiver.router()).test(.live) { client in
            let receiverPort = try #require(client.port)
            let port = Int.random(in: 40_000..<50_000)
            let url = "http://127.0.0.1:\(port)"
            func start() throws -> Process {
                let server = Process()
                server.executableURL = binary
                server.arguments = [
                    "serve", "--database", database, "--port", "\(port)", "--bcrypt-cost", "10",
                    "--sync-poll-ms", "20", "--sync-retry-base-ms", "50", "--sync-timeout-ms", "10000", "--allow-outbound", "127.0.0.1/32",
                ]
                server.standardOutput = FileHandle.nullDevice
                server.standardError = FileHandle.nullDevice
                try server.runAlone()
                return server
            }
            var server = try start()
            defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
            try await DeployedBinaryTests.waitUntilServing(url + "/health")
            let environment = ["AGENCY_URL": url, "AGENCY_TOKEN": agencyToken, "AGENCY_CONNECTION_SECRET": receiver.secret]
            _ = try DeployedBinaryTests.run(binary, ["sandbox", "create", "Crash Sandbox"], environment: environment)
            let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/fitness-studio.bundle.json").path
            _ = try DeployedBinaryTests.run(binary, ["account", "apply", "1", fixture], environment: environment)
            let token = try #require(try DeployedBinaryTests.run(binary, ["account", "token", "1"], environment: environment).split(separator: " ").last.map(String.init))
                .trimmingCharacters(in: .whitespacesAndNewlines)
            _ = try DeployedBinaryTests.run(binary, [
                "connection", "create", "1", "--provider", "webhook", "--name", "Receiver", "--webhook-url", "http://127.0.0.1:\(receiverPort)/events",
                "--list", "2=newsletter", "--budget", "500",
            ], environment: environment)

            let emails = (1...8).map { "person\($0)@example.com" } + ["refused@example.com"]
            for (index, email) in emails.enumerated() {
                _ = try await DeployedBinaryTests.request(url + "/api/3/contacts", token: token, body: #"{"contact":{"email":"\#(email)","firstName":"v1"}}"#)
                _ = try await DeployedBinaryTests.request(url + "/api/3/contactLists", token: token, body: #"{"contactList":{"contact":"\#(index + 1)","list":"2","status":1}}"#)
            }
            // Wait until the receiver holds a request, change every contact again, then kill the service mid-delivery.
            for _ in 0..<500 where !receiver.state.withLock({ $0.holding }) { try await Task.sleep(for: .milliseconds(10)) }
            let held = try #require(Int(receiver.state.withLock { $0.heldContact }))
            // The held contact is left as it is, so that what was under way is sent again unchanged.
            for contact in 1...emails.count where contact != held {
                _ = try await DeployedBinaryTests.put(url + "/api/3/contacts/\(contact)", token: token, body: #"{"contact":{"firstName":"v2"}}"#)
            }
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            receiver.state.withLock { $0.released = true }
            // The key that seals the credentials was made beside the database, readable by its owner only;
            // the restarted service opens the credentials with it (the deliveries below prove it).
            let key = try FileManager.default.attributesOfItem(atPath: database + ".key")
            #expect((key[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect((key[.size] as? NSNumber)?.intValue == 32)

            server = try start()
            try await DeployedBinaryTests.waitUntilServing(url + "/health")
            for _ in 0..<500 where receiver.state.withLock({ $0.duplicates }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            _ = try await DeployedBinaryTests.put(url + "/api/3/contacts/\(held)", token: token, body: #"{"contact":{"firstName":"v2"}}"#)
            var shown: [String: Any] = [:]
            for _ in 0..<500 {
                shown = try DeployedBinaryTests.json(try DeployedBinaryTests.run(binary, ["connection", "show", "1", "1", "--json"], environment: environment))
                if shown["pending_changes"] as? Int == 0 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(shown["pending_changes"] as? Int == 0, "nothing lost")

            let state = receiver.state.withLock { $0 }
            #expect(Set(state.applied.map(\.id)).count == state.applied.count, "no event applied twice")
            #expect(state.duplicates >= 1, "the delivery under way when killed was sent again, with the same id")
            for contact in 1...8 {
                let events = state.applied.filter { $0.contact == String(contact) }
                #expect(events.last?.firstName == "v2", "contact \(contact) ends in its last state")
                let sequence = events.compactMap { Int($0.id.split(separator: "_").last ?? "") }
                #expect(sequence == sequence.sorted(), "contact \(contact): events in the order of its changes")
            }
            let calls = try #require(shown["calls_today"] as? Int)
            #expect(calls >= state.requests && calls <= 500, "every call counted, the budget not passed")
            let failures = try DeployedBinaryTests.run(binary, ["connection", "failures", "1", "1"], environment: environment)
            // A webhook receiver's body is never kept: only its status.
            #expect(failures.contains("contact 9 refused@example.com: transfer error: HTTP 400"))
            #expect(!failures.contains("Address refused"))
            #expect(!failures.contains("person"))
            kill(server.processIdentifier, SIGTERM)
            server.waitUntilExit()
        }
    }
}

extension DeployedBinaryTests {
    static func put(_ url: String, token: String, body: String) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "PUT"
        request.setValue(token, forHTTPHeaderField: "Api-Token")
        request.httpBody = Data(body.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
