import AgencyDomain
import AgencyHTTP
import AgencyTestSupport
import AgencyStorage
import AgencyWorkers
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging

/// A service whose contact sync uses one key and millisecond backoffs, with the sync engine the
/// worker runs, so tests drive deliveries themselves.
struct SyncFixture: Sendable {
    let service: TestService
    let sync: SyncSettings
    let engine: ContactSyncEngine

    static let policy = SyncRetryPolicy(maxAttempts: 3, baseDelay: 0.05, maxDelay: 0.2, maxRetryAfter: 5, requestTimeout: 0.5)

    init(policy: SyncRetryPolicy = SyncFixture.policy) async throws {
        service = try await TestService()
        sync = SyncSettings(cipher: .random(), outbound: .loopbackForTests, policy: policy, pollInterval: .milliseconds(20))
        engine = ContactSyncEngine(database: service.database, settings: sync, logger: Logger(label: "sync-test"))
    }

    var agency: String { service.agencyA }
    var database: AppDatabase { service.database }

    func test<T: Sendable>(_ body: @Sendable (APIClient) async throws -> T) async throws -> T {
        let router = buildRouter(database: service.database, settings: TestService.settings, sync: sync)
        return try await Application(router: router).test(.router) { client in try await body(APIClient(client: client)) }
    }

    /// Runs the worker's deliveries until `done` holds (or 10 s pass); answers whether it held.
    @discardableResult
    func deliver(until done: @Sendable () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            try await engine.deliverDue()
            if try await done() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Runs deliveries until the outbox of `connection` is empty.
    @discardableResult
    func drain(_ connection: Int64) async throws -> Bool {
        try await deliver { try await database.pendingSyncChanges(connectionID: connection) == 0 }
    }
}

extension APIClient {
    /// A contact on list `list` (status 1 subscribed, 2 unsubscribed); answers its id.
    func subscribedContact(_ email: String, firstName: String = "", phone: String = "", list: Int = 2, status: Int = 1, apiToken: String) async throws -> Int {
        let created = try await request(.post, "/api/3/contacts", apiToken: apiToken, json: ["contact": ["email": email, "firstName": firstName, "phone": phone]])
        let id = Int((created.json["contact"] as? [String: Any])?["id"] as? String ?? "") ?? -1
        _ = try await request(.post, "/api/3/contactLists", apiToken: apiToken, json: ["contactList": ["contact": String(id), "list": String(list), "status": status]])
        return id
    }

    func createConnection(account: Int, agency: String, _ body: [String: Any]) async throws -> Reply {
        try await request(.post, "/v1/accounts/\(account)/connections", agency: agency, json: body)
    }
}

extension HTTPField.Name {
    static let testSignature = HTTPField.Name("Signature")!
}
