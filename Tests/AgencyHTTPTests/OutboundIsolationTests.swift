import AgencyAPI
import AgencyDomain
import AgencyHTTP
import AgencyOutbound
import AgencyStorage
import AgencyTestSupport
import AgencyWorkers
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Issue 26: what a remote answers is never passed on, a stored key never goes to a new URL, one
/// hung or dropping receiver delays only its own queue, and a 429 is a pause, not a failure.
@Suite("Outbound calls: bodies, keys and isolation")
struct OutboundIsolationTests {
    static let secret = "SECRET-ROOT-PASSWORD-hunter2"

    /// Whatever answers at a base URL, a reply, a stored failure and a log line carry its status at
    /// most (and Brevo's own error fields), never its body.
    @Test func noRemoteBodyIsPassedOn() async throws {
        let leaky = Router()
        leaky.get("v3/contacts/attributes") { _, _ -> Response in
            Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "root:x:0:0 \(Self.secret)")))
        }
        let lines = LogLines()
        try await Application(router: leaky).test(.live) { leakyClient in
            let leakyPort = try #require(leakyClient.port)
            let brevo = FakeBrevo()
            try await brevo.run { base in
                let fixture = try await SyncFixture()
                var logger = Logger(label: "sync-test") { _ in lines }
                logger.logLevel = .trace
                let engine = ContactSyncEngine(database: fixture.database, settings: fixture.sync, logger: logger)
                try await fixture.test { api in
                    let (account, token, connection) = try await ContactSyncDeliveryTests.brevoSetup(api, fixture, base: base)
                    let checked = try await api.createConnection(account: account, agency: fixture.agency, [
                        "name": "Leaky", "provider": "brevo", "base_url": "http://127.0.0.1:\(leakyPort)", "credentials": ["api_key": "k"],
                        "lists": [["list_id": "2", "remote_list": "18"]], "fields": [["field": "first_name", "attribute": "FIRSTNAME"]],
                    ])
                    #expect(checked.status == .unprocessableContent)
                    #expect(checked.errorCode == "remote_refused")
                    #expect(!checked.text.contains(Self.secret), "\(checked.text)")

                    brevo.inject(.status(400, body: #"{"leak": "\#(Self.secret)"}"#), .status(500, body: Self.secret))
                    _ = try await api.subscribedContact("zoe@example.com", apiToken: token)
                    _ = try await api.subscribedContact("yann@example.com", apiToken: token)
                    let deadline = Date().addingTimeInterval(10)
                    while try await fixture.database.pendingSyncChanges(connectionID: connection) > 0, Date() < deadline {
                        try await engine.deliverDue()
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    let failed = try await api.request(.get, "/v1/accounts/\(account)/connections/\(connection)/contacts?status=failed", agency: fixture.agency)
                    #expect(failed.text.contains("HTTP 400"), "\(failed.text)")
                    #expect(!failed.text.contains(Self.secret), "\(failed.text)")
                    let shown = try await api.request(.get, "/v1/accounts/\(account)/connections/\(connection)", agency: fixture.agency)
                    #expect(!shown.text.contains(Self.secret), "\(shown.text)")
                }
            }
        }
        #expect(!lines.all.isEmpty, "the engine logged its pause")
        #expect(!lines.all.contains { $0.contains(Self.secret) })
    }

    /// A disabled connection's URL changes only with the credentials given again: the stored key
    /// never reaches a URL the request picked.
    @Test func theStoredKeyNeverGoesToAChangedURL() async throws {
        let asked = Mutex<[String]>([])
        let catcher = Router()
        catcher.get("v3/contacts/attributes") { request, _ -> Response in
            asked.withLock { $0.append(request.headers[HTTPField.Name("api-key")!] ?? "") }
            return Response(status: .ok)
        }
        try await Application(router: catcher).test(.live) { catcherClient in
            let catcherPort = try #require(catcherClient.port)
            let brevo = FakeBrevo()
            try await brevo.run { base in
                let fixture = try await SyncFixture()
                try await fixture.test { api in
                    let (account, _, connection) = try await ContactSyncDeliveryTests.brevoSetup(api, fixture, base: base)
                    let path = "/v1/accounts/\(account)/connections/\(connection)"
                    _ = try await api.request(.patch, path, agency: fixture.agency, json: ["enabled": false])
                    let moved = try await api.request(.patch, path, agency: fixture.agency, json: [
                        "base_url": "http://127.0.0.1:\(catcherPort)", "fields": [["field": "first_name", "attribute": "FIRSTNAME"]],
                    ])
                    #expect(moved.status == .conflict)
                    #expect(moved.errorCode == "credentials_required", "\(moved.text)")
                    #expect(try await fixture.database.connection(id: connection).endpoint == base, "nothing changed")
                }
            }
        }
        #expect(asked.withLock { $0 }.isEmpty, "the catcher never heard from the service")
    }

    /// A tarpit (accepts, never answers) and a dropper (accepts, closes) cost their own queues one
    /// deadline; another tenant's webhook and sync connection deliver within 2 s meanwhile, even behind
    /// a backlog of 100 events each on the hung queues. (The CPU a
    /// held tarpit costs is measured on the deployed binary, alone in its process: `OutboundIdleTests`.)
    @Test func aHungOrDroppingReceiverDelaysOnlyItsOwnQueue() async throws {
        let tarpit = try await RawListener(.tarpit)
        let dropper = try await RawListener(.dropper)
        let client = OutboundClient(
            policy: OutboundPolicy(allowed: [try #require(IPNetwork("127.0.0.1/32"))]),
            settings: OutboundSettings(connectTimeout: .milliseconds(500), requestTimeout: .seconds(4))
        )
        let arrived = Mutex<[String: Date]>([:])
        let receiver = Router()
        for path in ["hook", "sync"] {
            receiver.post(RouterPath(path)) { _, _ -> Response in
                _ = arrived.withLock { $0[path] = $0[path] ?? Date() }
                return Response(status: .ok)
            }
        }
        try await Application(router: receiver).test(.live) { receiverClient in
            let receiverURL = "http://127.0.0.1:\(try #require(receiverClient.port))"
            let service = try await TestService()
            let sync = SyncSettings(
                cipher: .random(), outbound: client, policy: SyncRetryPolicy(baseDelay: 0.05, requestTimeout: 4), pollInterval: .milliseconds(20)
            )
            let router = buildRouter(database: service.database, settings: TestService.settings, sync: sync)
            try await Application(router: router).test(.router) { raw in
                let api = APIClient(client: raw)
                let (hostile, hostileToken) = try await api.fitnessSandbox(agency: service.agencyA)
                for url in [tarpit.url + "/hook", dropper.url + "/hook"] {
                    _ = try await api.request(.post, "/api/3/webhooks", apiToken: hostileToken, json: ["webhook": ["name": "Slow", "url": url, "events": ["subscribe"]]])
                }
                for url in [tarpit.url + "/sync", dropper.url + "/sync"] {
                    let made = try await api.createConnection(account: hostile, agency: service.agencyA, [
                        "name": "Slow", "provider": "webhook", "url": url, "credentials": ["secret": "0123456789abcdef0123"],
                        "lists": [["list_id": "2", "remote_list": "newsletter"]],
                    ])
                    #expect(made.status == .created, "\(made.text)")
                }
                // A backlog larger than one poll's worth of deliveries: the other tenant's event, made
                // after all of them, must not wait behind the hung queue's.
                for index in 1...100 { _ = try await api.subscribedContact("member\(index)@example.com", apiToken: hostileToken) }

                let (victim, victimToken) = try await api.fitnessSandbox(agency: service.agencyB)
                _ = try await api.request(.post, "/api/3/webhooks", apiToken: victimToken, json: ["webhook": ["name": "Fine", "url": receiverURL + "/hook", "events": ["subscribe"]]])
                let made = try await api.createConnection(account: victim, agency: service.agencyB, [
                    "name": "Fine", "provider": "webhook", "url": receiverURL + "/sync", "credentials": ["secret": "0123456789abcdef0123"],
                    "lists": [["list_id": "2", "remote_list": "newsletter"]],
                ])
                #expect(made.status == .created, "\(made.text)")
                _ = try await api.subscribedContact("victim@example.com", apiToken: victimToken)
            }

            let logger = Logger(label: "isolation-test")
            let start = Date()
            let webhooks = Task { try await WebhookDeliverer(database: service.database, outbound: client, logger: logger).run() }
            let contacts = Task { try await ContactSyncWorker(database: service.database, settings: sync, logger: logger).run() }
            while arrived.withLock({ $0.count }) < 2, Date().timeIntervalSince(start) < 10 {
                try await Task.sleep(for: .milliseconds(20))
            }
            let times = arrived.withLock { $0 }
            #expect(try #require(times["hook"]).timeIntervalSince(start) < 2, "the other tenant's webhook was delivered at once")
            #expect(try #require(times["sync"]).timeIntervalSince(start) < 2, "the other tenant's sync was delivered at once")

            // Both hostile queues failed after at most one deadline each, with a reason and no crash.
            while Date().timeIntervalSince(start) < 8 {
                let dropped = try await service.database.webhookDeliveries(accountID: 1, webhookID: 2)
                if dropped.contains(where: { $0.lastError != nil }) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let dropped = try await service.database.webhookDeliveries(accountID: 1, webhookID: 2)
            #expect(dropped.contains { $0.lastError?.hasPrefix("no answer") == true }, "\(dropped.map(\.lastError))")
            webhooks.cancel()
            contacts.cancel()
            _ = await webhooks.result
            _ = await contacts.result
        }
        await client.shutdown()
        await tarpit.close()
        await dropper.close()
    }

    /// Four 429s with Retry-After pause the connection for what they ask and do not grow the backoff:
    /// the 500 after them waits the first backoff step, and a success resets it.
    @Test func aRateLimitIsAPauseNotAFailure() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (_, token, connection) = try await ContactSyncDeliveryTests.brevoSetup(api, fixture, base: base)
                brevo.inject(
                    .status(429, headers: ["Retry-After": "0"]), .status(429, headers: ["Retry-After": "0"]), .status(429, headers: ["Retry-After": "0"]),
                    .status(429, headers: ["Retry-After": "0"]), .status(500)
                )
                _ = try await api.subscribedContact("zoe@example.com", apiToken: token)
                let failuresAfter429s = Mutex<[Int]>([])
                try await fixture.deliver {
                    let failures = try await fixture.database.syncFailuresInRow(connectionID: connection)
                    if brevo.calls.count < 5 { failuresAfter429s.withLock { $0.append(failures) } }
                    return brevo.calls.count >= 5
                }
                let seen = failuresAfter429s.withLock { $0 }
                #expect(seen.allSatisfy { $0 == 0 }, "429s with Retry-After count as no failure: \(seen)")
                #expect(try await fixture.database.syncFailuresInRow(connectionID: connection) == 1, "the 500 is the first failure")
                let paused = try await fixture.database.connection(id: connection)
                let until = try #require(paused.pausedUntil.flatMap { try? Date($0, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) })
                #expect(until.timeIntervalSinceNow < SyncFixture.policy.baseDelay * 2 + 0.5, "one backoff step, not 16×")
                try await fixture.drain(connection)
                #expect(try await fixture.database.syncFailuresInRow(connectionID: connection) == 0, "a success resets the backoff")
            }
        }
    }
}

/// Every log line, as text, for tests that check what is never logged.
final class LogLines: LogHandler, @unchecked Sendable {
    private let lines = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    var all: [String] { lines.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let text = "\(message) \(metadata ?? [:])"
        lines.withLock { $0.append(text) }
    }
}
