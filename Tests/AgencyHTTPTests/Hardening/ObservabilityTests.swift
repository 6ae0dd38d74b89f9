import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
@testable import AgencyHTTP

/// Issue 10: request logs without query strings, with status and duration; Prometheus metrics on a
/// router of their own.
@Suite("Logs and metrics")
struct ObservabilityTests {
    /// A query string can carry an email address: the log line has the path, status and duration only.
    @Test func requestLogsLeaveOutQueryStrings() async throws {
        let service = try await TestService()
        let lines = CapturedLog()
        let app = Application(router: service.router(), logger: Logger(label: "test") { _ in lines })
        try await app.test(.router) { client in
            let api = APIClient(client: client)
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            _ = try await api.request(.get, "/api/3/contacts?email=secret.person%40example.com&filters[email]=secret.person@example.com", apiToken: token)
        }
        let line = try #require(lines.entries.first { $0.message.hasPrefix("GET /api/3/contacts") })
        #expect(line.message == "GET /api/3/contacts 200")
        #expect(line.metadata["status"] == "200")
        #expect(line.metadata["duration_ms"].flatMap(Double.init) != nil)
        #expect(!lines.entries.contains { "\($0.message) \($0.metadata)".contains("secret") })
        #expect(!lines.entries.contains { "\($0.message) \($0.metadata)".contains(token(in: service)) })
    }

    /// `agency serve`'s own log handler writes `StreamLogHandler`'s line: local time to the second,
    /// level, label, the metadata sorted by key (a statement's own values over the logger's), the source
    /// and the message.
    @Test func serviceLogLinesHaveTheStreamFormat() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        var logger = Logger(label: "agency") { label in ServiceLogHandler(label: label, descriptor: writeEnd) }
        logger[metadataKey: "zone"] = "logger"
        logger[metadataKey: "id"] = "7"
        logger.info("GET /health 200", metadata: ["status": "200", "zone": "statement"])
        logger.debug("not at info")
        struct Failure: Error, CustomStringConvertible { var description: String { "it broke" } }
        logger.error("failed", error: Failure())
        close(writeEnd)
        let written = String(decoding: try FileHandle(fileDescriptor: readEnd, closeOnDealloc: true).readToEnd() ?? Data(), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(written.count == 2)
        let first = try #require(written.first)
        #expect(first.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} info agency: id=7 status=200 zone=statement \[AgencyHTTPTests\] GET \/health 200/) != nil)
        #expect(written.last?.contains("error agency: error.message=it broke error.type=") == true)
    }

    /// Requests by route and status, snapshot and provisioning durations, and the database size,
    /// in Prometheus' text format.
    @Test func metricsInPrometheusFormat() async throws {
        let metrics = MetricsForTests.shared
        let service = try await TestService()
        let app = Application(router: buildRouter(database: service.database, settings: TestService.settings, metrics: true))
        try await app.test(.router) { client in
            let api = APIClient(client: client)
            let (sandbox, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let snapshot = try await api.request(.post, "/v1/snapshots", agency: service.agencyA, json: ["sandbox_id": sandbox, "name": "v1"])
            let snapshotID = try #require(snapshot.json["id"] as? Int)
            _ = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "Client", "kind": "paid", "snapshot_id": snapshotID])
            _ = try await api.request(.get, "/v1/accounts/999", agency: service.agencyA)
        }
        let scrape = Application(router: buildMetricsRouter(metrics: metrics, database: service.database))
        let text = try await scrape.test(.router) { client in
            let response = try await client.executeRequest(uri: "/metrics", method: .get, headers: [:], body: nil)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            return String(buffer: response.body)
        }
        #expect(text.contains(#"http_route="/v1/accounts/{id}""#) && text.contains(#"http_response_status_code="404""#))
        #expect(text.contains("agency_snapshot_create_duration_seconds_count"))
        #expect(text.contains("agency_provisioning_duration_seconds_count"))
        let size = text.split(separator: "\n").first { $0.hasPrefix("agency_database_bytes ") }
        #expect(size.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 > 0 } == true)
    }

    func token(in service: TestService) -> String { service.agencyA }
}

/// swift-metrics takes one backend per process: the tests share it.
enum MetricsForTests {
    static let shared = ServiceMetrics.bootstrap()
}

/// Log entries, kept in memory.
final class CapturedLog: LogHandler, Sendable {
    struct Entry: Sendable {
        var message: String
        var metadata: [String: String]
    }

    private let stored = Mutex<[Entry]>([])
    var entries: [Entry] { stored.withLock { $0 } }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let metadata = (event.metadata ?? [:]).mapValues { "\($0)" }
        stored.withLock { $0.append(Entry(message: "\(event.message)", metadata: metadata)) }
    }
}
