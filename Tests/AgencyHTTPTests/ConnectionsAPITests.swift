import AgencyAPI
import AgencyDomain
import AgencyHTTP
import AgencyStorage
import Foundation
import GRDB
import HTTPTypes
import Testing

/// The agency API for contact-sync connections: create, read, change, delete, and the rules that hold
/// while a connection is enabled. Brevo is a fake on 127.0.0.1 written from its public reference.
@Suite("Agency API: connections")
struct ConnectionsAPITests {
    static func brevoBody(_ base: String, apiKey: String? = "xkeysib-test-key", fields: [[String: String]]? = nil, lists: [[String: Any]] = [["list_id": "2", "remote_list": 17]]) -> [String: Any] {
        var body: [String: Any] = ["name": "Brevo", "provider": "brevo", "base_url": base, "lists": lists, "daily_budget": 100]
        if let apiKey { body["credentials"] = ["api_key": apiKey] }
        if let fields { body["fields"] = fields }
        return body
    }

    /// A connection is made enabled when it has credentials, shows its mapping and never its
    /// credentials, and another agency cannot see or touch it (404).
    @Test func createdConnectionShowsItsMappingButNeverItsCredentials() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (account, _) = try await api.fitnessSandbox(agency: fixture.agency)
                let created = try await api.createConnection(account: account, agency: fixture.agency, Self.brevoBody(base))
                #expect(created.status == .created)
                let body = try created.decode(ConnectionBody.self)
                #expect(body.enabled && body.has_credentials)
                #expect(body.lists == [ListPairBody(list_id: 2, remote_list: "17")])
                #expect(body.fields == [FieldPairBody(field: "first_name", attribute: "FIRSTNAME"), FieldPairBody(field: "last_name", attribute: "LASTNAME")])
                #expect(!created.text.contains(brevo.apiKey))
                let shown = try await api.request(.get, "/v1/accounts/\(account)/connections/\(body.id)", agency: fixture.agency)
                #expect(shown.status == .ok && !shown.text.contains(brevo.apiKey))
                #expect((try await api.request(.get, "/v1/accounts/\(account)/connections", agency: fixture.agency).decode(ConnectionList.self)).connections.count == 1)

                let other = fixture.service.agencyB
                #expect(try await api.request(.get, "/v1/accounts/\(account)/connections/\(body.id)", agency: other).status == .notFound)
                #expect(try await api.request(.get, "/v1/accounts/\(account)/connections", agency: other).status == .notFound)
                #expect(try await api.request(.patch, "/v1/accounts/\(account)/connections/\(body.id)", agency: other, json: ["enabled": false]).status == .notFound)
                #expect(try await api.request(.delete, "/v1/accounts/\(account)/connections/\(body.id)", agency: other).status == .notFound)
                #expect(try await api.createConnection(account: account, agency: other, Self.brevoBody(base)).status == .notFound)
                for (method, tail) in [(HTTPRequest.Method.get, "/contacts?status=failed"), (.post, "/sync"), (.get, "/syncs")] {
                    #expect(try await api.request(method, "/v1/accounts/\(account)/connections/\(body.id)\(tail)", agency: other).status == .notFound, "\(tail)")
                }
                #expect(try await api.request(.delete, "/v1/accounts/\(account)/connections/\(body.id)", agency: fixture.agency).status == .noContent)
                #expect(try await api.request(.get, "/v1/accounts/\(account)/connections/\(body.id)", agency: fixture.agency).status == .notFound)
            }
        }
    }

    /// Credentials are sealed at rest (AES-GCM under the service key): the database file holds no
    /// trace of the API key.
    @Test func credentialsAreEncryptedAtRest() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (account, _) = try await api.fitnessSandbox(agency: fixture.agency)
                _ = try await api.createConnection(account: account, agency: fixture.agency, Self.brevoBody(base))
            }
            let pool = try DatabaseQueue(path: fixture.service.databasePath)
            let sealed = try await pool.read { db in try Data.fetchOne(db, sql: "SELECT credentials FROM sync_connections") }
            let bytes = try #require(sealed)
            #expect(bytes.range(of: Data(brevo.apiKey.utf8)) == nil)
            #expect(bytes.count > brevo.apiKey.count)
            let file = try Data(contentsOf: URL(fileURLWithPath: fixture.service.databasePath))
            #expect(file.range(of: Data(brevo.apiKey.utf8)) == nil)
        }
    }

    /// One account list maps to one remote list: the same remote list twice is refused and nothing is written.
    @Test func theSameRemoteListTwiceIsRefused() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (account, _) = try await api.fitnessSandbox(agency: fixture.agency)
                let twice = try await api.createConnection(account: account, agency: fixture.agency, Self.brevoBody(base, lists: [
                    ["list_id": "1", "remote_list": 17], ["list_id": "2", "remote_list": "17"],
                ]))
                #expect(twice.status == .unprocessableContent)
                #expect(twice.errorCode == "duplicate")
                #expect(twice.error?.field == "lists[1].remote_list")
                let unknownList = try await api.createConnection(account: account, agency: fixture.agency, Self.brevoBody(base, lists: [["list_id": "9", "remote_list": 17]]))
                #expect(unknownList.error?.field == "lists[0].list_id")
                #expect((try await api.request(.get, "/v1/accounts/\(account)/connections", agency: fixture.agency).decode(ConnectionList.self)).connections.isEmpty)
            }
        }
    }

    /// The field mapping is checked against Brevo's attributes when saved: a name that is not there
    /// exactly (here only its letter case differs) is refused, naming it, and nothing is saved.
    @Test func aFieldMappingMustNameRemoteAttributesExactly() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (account, _) = try await api.fitnessSandbox(agency: fixture.agency)
                let wrongCase = try await api.createConnection(account: account, agency: fixture.agency, Self.brevoBody(base, fields: [
                    ["field": "first_name", "attribute": "FIRSTNAME"], ["field": "2", "attribute": "Goal"],
                ]))
                #expect(wrongCase.status == .unprocessableContent)
                #expect(wrongCase.error?.field == "fields[1].attribute")
                #expect(wrongCase.error?.message.contains("'Goal'") == true)
                #expect(wrongCase.error?.message.contains("'GOAL'") == true)
                let exact = try await api.createConnection(account: account, agency: fixture.agency, Self.brevoBody(base, fields: [
                    ["field": "first_name", "attribute": "FIRSTNAME"], ["field": "2", "attribute": "GOAL"],
                ]))
                #expect(exact.status == .created)
                let wrongKey = try await api.createConnection(account: account, agency: fixture.agency, Self.brevoBody(base, apiKey: "xkeysib-wrong", lists: [["list_id": "1", "remote_list": 3]]))
                #expect(wrongKey.errorCode == "remote_unauthorized")
                #expect((try await api.request(.get, "/v1/accounts/\(account)/connections", agency: fixture.agency).decode(ConnectionList.self)).connections.count == 1)
            }
        }
    }

    /// While a connection is enabled its credentials and list mapping cannot change (409 saying to
    /// disable it first); disabled, they can; it is enabled only with credentials.
    @Test func credentialsAndListsChangeOnlyWhileDisabled() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (account, _) = try await api.fitnessSandbox(agency: fixture.agency)
                let id = try await api.createConnection(account: account, agency: fixture.agency, Self.brevoBody(base)).decode(ConnectionBody.self).id
                let path = "/v1/accounts/\(account)/connections/\(id)"
                let newKey = try await api.request(.patch, path, agency: fixture.agency, json: ["credentials": ["api_key": "xkeysib-test-key"]])
                #expect(newKey.status == .conflict)
                #expect(newKey.errorCode == "connection_enabled")
                #expect(newKey.error?.message.contains("disable it first") == true)
                let newLists = try await api.request(.patch, path, agency: fixture.agency, json: ["lists": [["list_id": "1", "remote_list": 17]]])
                #expect(newLists.errorCode == "connection_enabled")
                #expect(try await api.request(.patch, path, agency: fixture.agency, json: ["name": "Renamed"]).decode(ConnectionBody.self).name == "Renamed")

                #expect(try await api.request(.patch, path, agency: fixture.agency, json: ["enabled": false]).decode(ConnectionBody.self).enabled == false)
                let moved = try await api.request(.patch, path, agency: fixture.agency, json: ["lists": [["list_id": "1", "remote_list": 18]], "credentials": ["api_key": "xkeysib-test-key"]])
                #expect(moved.status == .ok)
                #expect(try moved.decode(ConnectionBody.self).lists == [ListPairBody(list_id: 1, remote_list: "18")])

                let bare = try await api.createConnection(account: account, agency: fixture.agency, Self.brevoBody(base, apiKey: nil, lists: [["list_id": "2", "remote_list": 5]]))
                let bareBody = try bare.decode(ConnectionBody.self)
                #expect(!bareBody.enabled && !bareBody.has_credentials)
                let enable = try await api.request(.patch, "/v1/accounts/\(account)/connections/\(bareBody.id)", agency: fixture.agency, json: ["enabled": true])
                #expect(enable.errorCode == "connection_needs_credentials")
            }
        }
    }

    /// The daily budget is 1 to 1,000,000 calls: both ends are taken, one past either is refused.
    @Test func theDailyBudgetIsBoundedOnBothSides() async throws {
        let fixture = try await SyncFixture()
        try await fixture.test { api in
            let (account, _) = try await api.fitnessSandbox(agency: fixture.agency)
            func create(_ budget: Int) async throws -> APIClient.Reply {
                try await api.createConnection(account: account, agency: fixture.agency, [
                    "name": "Hook", "provider": "webhook", "url": "http://127.0.0.1:9/events", "lists": [["list_id": 2, "remote_list": "b\(budget)"]], "daily_budget": budget,
                ])
            }
            #expect(try await create(1).status == .created)
            #expect(try await create(1_000_000).status == .created)
            #expect(try await create(0).error?.field == "daily_budget")
            #expect(try await create(1_000_001).error?.field == "daily_budget")
        }
    }

    /// A snapshot carries a sandbox's connection mapping, never its credentials: the account made from
    /// it has the connection disabled, waiting for credentials, and enabled once they are set.
    @Test func snapshotsCarryTheMappingButNotTheCredentials() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (sandbox, _) = try await api.fitnessSandbox(agency: fixture.agency)
                let original = try await api.createConnection(account: sandbox, agency: fixture.agency, Self.brevoBody(base, fields: [
                    ["field": "first_name", "attribute": "FIRSTNAME"], ["field": "2", "attribute": "GOAL"],
                ])).decode(ConnectionBody.self)
                let snapshot = try await api.request(.post, "/v1/snapshots", agency: fixture.agency, json: ["sandbox_id": sandbox, "name": "With Brevo"])
                let snapshotID = try #require(snapshot.json["id"] as? Int)
                let account = try await api.request(.post, "/v1/accounts", agency: fixture.agency, json: ["name": "Client", "kind": "paid", "snapshot_id": snapshotID])
                let accountID = try #require(account.json["id"] as? Int)

                let copies = try await api.request(.get, "/v1/accounts/\(accountID)/connections", agency: fixture.agency).decode(ConnectionList.self).connections
                let copy = try #require(copies.first)
                #expect(copies.count == 1)
                #expect(copy.id != original.id)
                #expect(!copy.enabled && !copy.has_credentials)
                #expect((copy.name, copy.provider, copy.base_url, copy.lists, copy.fields) == (original.name, original.provider, original.base_url, original.lists, original.fields))
                let path = "/v1/accounts/\(accountID)/connections/\(copy.id)"
                #expect(try await api.request(.patch, path, agency: fixture.agency, json: ["enabled": true]).errorCode == "connection_needs_credentials")
                let enabled = try await api.request(.patch, path, agency: fixture.agency, json: ["credentials": ["api_key": brevo.apiKey], "enabled": true])
                #expect(try enabled.decode(ConnectionBody.self).enabled)
            }
        }
    }

    /// Made two-way later, a connection gets its inbound secret in that reply, once.
    @Test func becomingTwoWayShowsTheInboundSecretOnce() async throws {
        let fixture = try await SyncFixture()
        try await fixture.test { api in
            let (account, _) = try await api.fitnessSandbox(agency: fixture.agency)
            let created = try await api.createConnection(account: account, agency: fixture.agency, [
                "name": "CRM", "provider": "webhook", "url": "http://127.0.0.1:9/events", "lists": [["list_id": "2", "remote_list": "news"]],
            ]).decode(ConnectionBody.self)
            #expect(created.inbound_secret == nil && created.inbound_url == nil)
            let path = "/v1/accounts/\(account)/connections/\(created.id)"
            let twoWay = try await api.request(.patch, path, agency: fixture.agency, json: ["direction": "two_way"]).decode(ConnectionBody.self)
            #expect(twoWay.inbound_secret?.hasPrefix("whsec_") == true)
            #expect(twoWay.inbound_url?.hasSuffix("/hooks/connections/\(created.id)") == true)
            #expect(try await api.request(.patch, path, agency: fixture.agency, json: ["name": "CRM 2"]).decode(ConnectionBody.self).inbound_secret == nil)
            #expect(try await api.request(.patch, path, agency: fixture.agency, json: ["provider": "brevo"]).error?.field == "provider")
        }
    }
}
