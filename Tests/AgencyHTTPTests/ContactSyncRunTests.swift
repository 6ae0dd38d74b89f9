import AgencyAPI
import AgencyDomain
import AgencyHTTP
import AgencyStorage
import AgencyWorkers
import Foundation
import Logging
import Testing

/// "Sync now" and its summary, and the two-way inbound endpoint.
@Suite("Contact sync: full syncs and inbound events")
struct ContactSyncRunTests {
    /// A full sync sends what differs and records a summary (sent, updated, unchanged, failed, calls);
    /// run again with nothing changed, it makes no call at all. Summaries are listed newest first.
    @Test func syncNowReconcilesAndRecordsASummary() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (account, token, connection) = try await ContactSyncDeliveryTests.brevoSetup(api, fixture, base: base)
                let path = "/v1/accounts/\(account)/connections/\(connection)"
                let kept = try await api.subscribedContact("kept@example.com", firstName: "Kay", apiToken: token)
                _ = try await api.subscribedContact("same@example.com", apiToken: token)
                try await fixture.drain(connection)
                // Changed here while the remote was not told (as if the queue were lost), a new contact, and a refused one.
                _ = try await api.request(.put, "/api/3/contacts/\(kept)", apiToken: token, json: ["contact": ["firstName": "Kai"]])
                _ = try await api.subscribedContact("new@example.com", apiToken: token)
                _ = try await api.subscribedContact("refused@example.com", phone: "1", apiToken: token)

                let run = try await api.request(.post, path + "/sync", agency: fixture.agency)
                #expect(run.status == .created)
                let summary = try run.decode(SyncRunBody.self)
                #expect(summary.trigger == "manual")
                #expect([summary.contacts, summary.sent, summary.updated, summary.unchanged, summary.failed, summary.deferred, summary.calls] == [Int]([4, 1, 1, 1, 1, 0, 3]))
                #expect(brevo.contacts["kept@example.com"]?.attributes["FIRSTNAME"] == "Kai")
                #expect(try await fixture.database.pendingSyncChanges(connectionID: connection) == 0, "the sync covered what was queued")

                let again = try await api.request(.post, path + "/sync", agency: fixture.agency).decode(SyncRunBody.self)
                #expect([again.unchanged, again.calls] == [Int]([3, 1]), "only the refused contact is tried again")
                let runs = try await api.request(.get, path + "/syncs", agency: fixture.agency).decode(SyncRunList.self)
                #expect(runs.syncs.map(\.id) == [again.id, summary.id])

                _ = try await api.request(.patch, path, agency: fixture.agency, json: ["enabled": false])
                #expect(try await api.request(.post, path + "/sync", agency: fixture.agency).errorCode == "connection_disabled")
            }
        }
    }

    /// A full sync that runs out of budget stops, counting what it left as deferred.
    @Test func aFullSyncStopsAtTheBudget() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (account, token, connection) = try await ContactSyncDeliveryTests.brevoSetup(api, fixture, base: base, budget: 2)
                for index in 1...4 { _ = try await api.subscribedContact("b\(index)@example.com", apiToken: token) }
                let summary = try await api.request(.post, "/v1/accounts/\(account)/connections/\(connection)/sync", agency: fixture.agency).decode(SyncRunBody.self)
                #expect([summary.sent, summary.calls, summary.deferred] == [Int]([2, 2, 2]))
                #expect(brevo.calls.count == 2)
            }
        }
    }

    /// Two-way with Brevo: an unsubscribe event with the connection's secret unsubscribes the contact
    /// here; the same event again changes nothing; a wrong secret is refused; an erased contact is left alone.
    @Test func brevoUnsubscribeEventsComeBackOnce() async throws {
        let fixture = try await SyncFixture()
        try await fixture.test { api in
            let (account, token) = try await api.fitnessSandbox(agency: fixture.agency)
            let created = try await api.createConnection(account: account, agency: fixture.agency, [
                "name": "Brevo", "provider": "brevo", "base_url": "http://127.0.0.1:9", "direction": "two_way", "enabled": false,
                "lists": [["list_id": "2", "remote_list": "17"]], "fields": [],
            ])
            let body = try created.decode(ConnectionBody.self)
            let secret = try #require(body.inbound_secret)
            #expect(body.inbound_url == "https://snapshots.test/hooks/connections/\(body.id)")
            #expect(try await api.request(.get, "/v1/accounts/\(account)/connections/\(body.id)", agency: fixture.agency).decode(ConnectionBody.self).inbound_secret == nil, "shown once")
            // Two-way works only enabled; credentials first (the fake's address is never called here).
            _ = try await api.request(.patch, "/v1/accounts/\(account)/connections/\(body.id)", agency: fixture.agency, json: ["credentials": ["api_key": "k"], "enabled": true])

            let id = try await api.subscribedContact("leaver@example.com", apiToken: token)
            let event = #"{"event":"unsubscribed","email":"Leaver@example.com","id":991,"list_id":[17],"date_event":"2026-12-03 10:00:00","ts_event":1796292000}"#
            let hook = "/hooks/connections/\(body.id)"
            #expect(try await api.request(.post, hook, raw: event, headers: [.authorization: "Bearer wrong"]).status == .unauthorized)
            #expect(try await api.request(.post, hook, raw: event).status == .unauthorized)
            let applied = try await api.request(.post, hook, raw: event, headers: [.authorization: "Bearer \(secret)"])
            #expect(applied.json["result"] as? String == "applied")
            let history = try await fixture.database.listHistory(accountID: Int64(account), contactID: Int64(id))
            #expect(history.map(\.status) == [1, 2])

            let replayed = try await api.request(.post, hook, raw: event, headers: [.authorization: "Bearer \(secret)"])
            #expect(replayed.json["result"] as? String == "duplicate")
            #expect(try await fixture.database.listHistory(accountID: Int64(account), contactID: Int64(id)).count == 2, "a replay changes nothing")

            _ = try await api.request(.post, "/api/3/contacts/\(id)/erase", apiToken: token)
            let resubscribe = #"{"event":"listAddition","email":"\#(ContactErasure.placeholderEmail(contactID: Int64(id)))","list_id":[17],"ts_event":1796292100}"#
            #expect(try await api.request(.post, hook, raw: resubscribe, headers: [.authorization: "Bearer \(secret)"]).json["result"] as? String == "ignored")
            #expect(try await fixture.database.listHistory(accountID: Int64(account), contactID: Int64(id)).map(\.status) == [1, 2])
        }
    }

    /// Two-way with the webhook provider: events in our own shape, signed with the inbound secret; a
    /// subscribe event subscribes the contact; an outbound connection has no inbound endpoint and
    /// answers as an unknown id and a wrong signature do (401, `HookAnswerTests`).
    @Test func webhookSubscribeEventsAreVerifiedBySignature() async throws {
        let fixture = try await SyncFixture()
        try await fixture.test { api in
            let (account, token) = try await api.fitnessSandbox(agency: fixture.agency)
            let created = try await api.createConnection(account: account, agency: fixture.agency, [
                "name": "CRM", "provider": "webhook", "url": "http://127.0.0.1:9/events", "direction": "two_way",
                "credentials": ["secret": "0123456789abcdef0123"], "lists": [["list_id": "2", "remote_list": "newsletter"]],
            ])
            let body = try created.decode(ConnectionBody.self)
            let secret = try #require(body.inbound_secret)
            let id = try await api.subscribedContact("joiner@example.com", list: 2, status: 2, apiToken: token)
            let event = #"{"id":"evt-1","type":"subscribe","email":"joiner@example.com","lists":["newsletter"]}"#
            let now = Int(Date().timeIntervalSince1970)
            let stale = SyncSignature.header(secret: secret, timestamp: now - 600, body: Array(event.utf8))
            #expect(try await api.request(.post, "/hooks/connections/\(body.id)", raw: event, headers: [.testSignature: stale]).status == .unauthorized)
            let signed = SyncSignature.header(secret: secret, timestamp: now, body: Array(event.utf8))
            let reply = try await api.request(.post, "/hooks/connections/\(body.id)", raw: event, headers: [.testSignature: signed])
            #expect(reply.json["result"] as? String == "applied")
            #expect(try await fixture.database.listHistory(accountID: Int64(account), contactID: Int64(id)).map(\.status) == [2, 1])

            let outbound = try await api.createConnection(account: account, agency: fixture.agency, [
                "name": "Out", "provider": "webhook", "url": "http://127.0.0.1:9/events", "lists": [["list_id": "1", "remote_list": "members"]],
            ]).decode(ConnectionBody.self)
            #expect(outbound.inbound_url == nil)
            #expect(try await api.request(.post, "/hooks/connections/\(outbound.id)", raw: event, headers: [.testSignature: signed]).status == .unauthorized)
            #expect(try await api.request(.post, "/hooks/connections/999", raw: event).status == .unauthorized)
        }
    }

    /// The worker runs a full sync by itself once a connection's interval has passed since the last
    /// one, and not before.
    @Test func theIntervalRunsAFullSync() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (account, _, connection) = try await ContactSyncDeliveryTests.brevoSetup(api, fixture, base: base)
                let worker = ContactSyncWorker(database: fixture.database, settings: fixture.sync, logger: .init(label: "sync-test"))
                try await worker.runOnce(now: Date())
                let path = "/v1/accounts/\(account)/connections/\(connection)/syncs"
                #expect(try await api.request(.get, path, agency: fixture.agency).decode(SyncRunList.self).syncs.isEmpty, "enabling was the first full sync")
                try await worker.runOnce(now: Date().addingTimeInterval(61 * 60))
                let runs = try await api.request(.get, path, agency: fixture.agency).decode(SyncRunList.self).syncs
                #expect(runs.map(\.trigger) == ["interval"])
            }
        }
    }

    /// Deleting an account with an enabled connection and synced contacts removes it all in one go.
    @Test func deletingAnAccountTakesItsConnectionsWithIt() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (account, token, connection) = try await ContactSyncDeliveryTests.brevoSetup(api, fixture, base: base)
                _ = try await api.subscribedContact("gone@example.com", apiToken: token)
                try await fixture.drain(connection)
                _ = try await api.subscribedContact("queued@example.com", apiToken: token)
                #expect(try await api.request(.delete, "/v1/accounts/\(account)", agency: fixture.agency).status == .noContent)
                #expect(try await fixture.database.pendingSyncChanges(connectionID: connection) == 0)
                #expect(try await fixture.database.dueSyncConnections(now: Date()).isEmpty)
            }
        }
    }
}
