import AgencyAPI
import AgencyDomain
import AgencyHTTP
import AgencyStorage
import AgencyWorkers
import Foundation
import Testing

/// Deliveries of contact changes to a fake Brevo and a webhook receiver on 127.0.0.1, with faults
/// injected: timeouts, 429 with Retry-After, 500s, a 400 for one contact, a spent budget.
@Suite("Contact sync: deliveries")
struct ContactSyncDeliveryTests {
    /// A brevo connection of the fitness sandbox's Newsletter (list 2) to Brevo list 17, with names,
    /// phone (SMS) and the "Fitness Goal" field (2) mapped; answers the account, token and connection.
    static func brevoSetup(_ api: APIClient, _ fixture: SyncFixture, base: String, budget: Int = 100) async throws -> (account: Int, token: String, connection: Int64) {
        let (account, token) = try await api.fitnessSandbox(agency: fixture.agency)
        let created = try await api.createConnection(account: account, agency: fixture.agency, [
            "name": "Brevo", "provider": "brevo", "base_url": base, "credentials": ["api_key": "xkeysib-test-key"], "daily_budget": budget,
            "lists": [["list_id": "2", "remote_list": "17"]],
            // The last name is left out on purpose (an empty attribute): otherwise it goes by default.
            "fields": [
                ["field": "first_name", "attribute": "FIRSTNAME"], ["field": "phone", "attribute": "SMS"], ["field": "2", "attribute": "GOAL"],
                ["field": "last_name", "attribute": ""],
            ],
        ])
        return (account, token, try created.decode(ConnectionBody.self).id)
    }

    /// A subscription creates the contact in the mapped Brevo list (POST with updateEnabled), an update
    /// updates it, an unsubscribe unlinks it, and an erasure replaces its data with DELETED, changes its
    /// address to the placeholder and blacklists it: PEIQ's four workflows, against Brevo's API.
    @Test func subscribeUpdateUnsubscribeAndEraseReachBrevo() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (_, token, connection) = try await Self.brevoSetup(api, fixture, base: base)
                let id = try await api.subscribedContact("zoe@example.com", firstName: "Zoë", phone: "+4915112345678", apiToken: token)
                _ = try await api.request(.post, "/api/3/fieldValues", apiToken: token, json: ["fieldValue": ["contact": String(id), "field": "2", "value": "Marathon"]])
                try await fixture.drain(connection)
                let created = try #require(brevo.contacts["zoe@example.com"])
                #expect(created.listIDs == [17])
                #expect(created.attributes == ["FIRSTNAME": "Zoë", "SMS": "+4915112345678", "GOAL": "Marathon"])
                #expect(brevo.calls.first?.method == "POST")
                #expect(brevo.calls.first?.body.contains(#""updateEnabled":true"#) == true)

                _ = try await api.request(.put, "/api/3/contacts/\(id)", apiToken: token, json: ["contact": ["firstName": "Zoe", "email": "zoe@new.example.com"]])
                try await fixture.drain(connection)
                #expect(brevo.contacts["zoe@example.com"] == nil)
                #expect(brevo.contacts["zoe@new.example.com"]?.attributes["FIRSTNAME"] == "Zoe")
                #expect(brevo.calls.last?.method == "PUT")
                #expect(brevo.calls.last?.path == "/v3/contacts/zoe%40example.com")

                _ = try await api.request(.post, "/api/3/contactLists", apiToken: token, json: ["contactList": ["contact": String(id), "list": "2", "status": 2]])
                try await fixture.drain(connection)
                #expect(brevo.contacts["zoe@new.example.com"]?.listIDs == [])

                _ = try await api.request(.post, "/api/3/contacts/\(id)/erase", apiToken: token)
                try await fixture.drain(connection)
                let erased = try #require(brevo.contacts[ContactErasure.placeholderEmail(contactID: Int64(id))])
                #expect(erased.attributes == ["FIRSTNAME": "DELETED", "SMS": "", "GOAL": "DELETED"])
                #expect(erased.blacklisted)
                #expect(brevo.contacts.count == 1, "the same remote contact throughout: nothing created twice")
            }
        }
    }

    /// A change to a contact that is on no mapped list sends nothing; one that changes nothing mapped
    /// costs no call either.
    @Test func contactsOutsideTheMappingCostNoCalls() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (_, token, connection) = try await Self.brevoSetup(api, fixture, base: base)
                _ = try await api.subscribedContact("members-only@example.com", list: 1, apiToken: token)
                let id = try await api.subscribedContact("news@example.com", apiToken: token)
                try await fixture.drain(connection)
                #expect(brevo.calls.count == 1)
                _ = try await api.request(.put, "/api/3/contacts/\(id)", apiToken: token, json: ["contact": ["lastName": "Not mapped"]])
                try await fixture.drain(connection)
                #expect(brevo.calls.count == 1)
                #expect(try await fixture.database.syncCallsUsed(connectionID: connection, on: Date()) == 1)
            }
        }
    }

    /// A 500, a request that times out and a 429 with `Retry-After: 1` are each retried: the contact
    /// arrives once, and the try after the 429 waits the second it asked for.
    @Test func serverErrorsTimeoutsAndRateLimitsAreRetried() async throws {
        let brevo = FakeBrevo()
        brevo.inject(.status(500), .delay(.seconds(2)), .status(429, headers: ["Retry-After": "1"], body: #"{"code":"too_many_requests","message":"slow down"}"#))
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (_, token, connection) = try await Self.brevoSetup(api, fixture, base: base)
                _ = try await api.subscribedContact("retry@example.com", firstName: "Rita", apiToken: token)
                #expect(try await fixture.drain(connection))
                let calls = brevo.calls
                #expect(calls.count == 4)
                #expect(calls[3].at.timeIntervalSince(calls[2].at) >= 1.0, "Retry-After was honoured")
                #expect(brevo.contacts["retry@example.com"]?.attributes["FIRSTNAME"] == "Rita")
                #expect(brevo.contacts.count == 1)
                let shown = try await api.request(.get, "/v1/accounts/1/connections/\(connection)", agency: fixture.agency).decode(ConnectionBody.self)
                #expect(shown.calls_today == 4)
                #expect(shown.last_error.value == nil)
            }
        }
    }

    /// A 4xx that retrying cannot fix (Brevo refuses one contact's phone number) marks that contact
    /// failed with Brevo's own message, visible in the API, and the other contacts go on.
    @Test func aRefusedContactFailsAloneWithTheRemoteMessage() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (account, token, connection) = try await Self.brevoSetup(api, fixture, base: base)
                _ = try await api.subscribedContact("first@example.com", apiToken: token)
                let bad = try await api.subscribedContact("badphone@example.com", phone: "12", apiToken: token)
                _ = try await api.subscribedContact("last@example.com", apiToken: token)
                try await fixture.drain(connection)
                #expect(Set(brevo.contacts.keys) == ["first@example.com", "last@example.com"])
                let failed = try await api.request(.get, "/v1/accounts/\(account)/connections/\(connection)/contacts?status=failed", agency: fixture.agency)
                let list = try failed.decode(SyncContactList.self)
                #expect(list.contacts.map(\.contact_id) == [Int64(bad)])
                #expect(list.contacts.first?.message.value == "HTTP 400: Invalid phone number")
                #expect(list.meta.total == 1)
                let ok = try await api.request(.get, "/v1/accounts/\(account)/connections/\(connection)/contacts?status=ok", agency: fixture.agency)
                #expect(try ok.decode(SyncContactList.self).meta.total == 2)
                #expect(try await api.request(.get, "/v1/accounts/\(account)/connections/\(connection)/contacts?status=maybe", agency: fixture.agency).status == .unprocessableContent)

                // Fixed, the contact syncs on its next change and is no longer failed.
                _ = try await api.request(.put, "/api/3/contacts/\(bad)", apiToken: token, json: ["contact": ["phone": "+4930123456"]])
                try await fixture.drain(connection)
                #expect(brevo.contacts["badphone@example.com"] != nil)
                #expect(try await api.request(.get, "/v1/accounts/\(account)/connections/\(connection)/contacts?status=failed", agency: fixture.agency).decode(SyncContactList.self).meta.total == 0)
            }
        }
    }

    /// 500s that keep coming for one contact are given up after the policy's tries: it is failed with
    /// the last answer, and the next contact is delivered.
    @Test func persistentServerErrorsAreGivenUpPerContact() async throws {
        let brevo = FakeBrevo()
        brevo.inject(.status(500, body: #"{"code":"internal","message":"boom"}"#), .status(500, body: #"{"code":"internal","message":"boom"}"#), .status(500, body: #"{"code":"internal","message":"boom"}"#))
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (account, token, connection) = try await Self.brevoSetup(api, fixture, base: base)
                let unlucky = try await api.subscribedContact("unlucky@example.com", apiToken: token)
                _ = try await api.subscribedContact("next@example.com", apiToken: token)
                try await fixture.drain(connection)
                #expect(Set(brevo.contacts.keys) == ["next@example.com"])
                let failed = try await api.request(.get, "/v1/accounts/\(account)/connections/\(connection)/contacts?status=failed", agency: fixture.agency).decode(SyncContactList.self)
                #expect(failed.contacts.map(\.contact_id) == [Int64(unlucky)])
                #expect(failed.contacts.first?.message.value == "Gave up after 3 tries: HTTP 500: boom")
            }
        }
    }

    /// The daily budget is never passed: with 3 calls a day and 5 contacts waiting, 3 are sent, the
    /// connection pauses until the next UTC day and the other 2 stay queued for it.
    @Test func theDailyBudgetIsNeverExceeded() async throws {
        let brevo = FakeBrevo()
        try await brevo.run { base in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (account, token, connection) = try await Self.brevoSetup(api, fixture, base: base, budget: 3)
                for index in 1...5 { _ = try await api.subscribedContact("c\(index)@example.com", apiToken: token) }
                for _ in 0..<5 { try await fixture.engine.deliverDue() }
                #expect(brevo.calls.count == 3)
                #expect(Set(brevo.contacts.keys) == ["c1@example.com", "c2@example.com", "c3@example.com"], "in the order they changed")
                #expect(try await fixture.database.syncCallsUsed(connectionID: connection, on: Date()) == 3)
                let shown = try await api.request(.get, "/v1/accounts/\(account)/connections/\(connection)", agency: fixture.agency).decode(ConnectionBody.self)
                #expect(shown.pending_changes == 2)
                let paused = try #require(shown.paused_until.value)
                #expect(paused.hasPrefix(String(Timestamp.precise(SyncBudgetWindow.nextWindow(after: Date())).prefix(10))))

                // The next window: the rest go.
                let tomorrow = SyncBudgetWindow.nextWindow(after: Date()).addingTimeInterval(1)
                try await fixture.engine.deliverDue(now: { tomorrow })
                #expect(brevo.contacts.count == 5)
                #expect(try await fixture.database.syncCallsUsed(connectionID: connection, on: tomorrow) == 2)
            }
        }
    }

    /// The webhook provider POSTs signed JSON events: each change has its own id, a contact's events
    /// arrive in the order of its changes, and a delivery repeated after a failure carries the same id,
    /// so the receiver applies it once.
    @Test func webhookEventsAreSignedOrderedAndDeduplicable() async throws {
        let receiver = SyncWebhookReceiver()
        receiver.failNext(503)
        try await receiver.run { url in
            let fixture = try await SyncFixture()
            try await fixture.test { api in
                let (account, token) = try await api.fitnessSandbox(agency: fixture.agency)
                let created = try await api.createConnection(account: account, agency: fixture.agency, [
                    "name": "CRM", "provider": "webhook", "url": url, "credentials": ["secret": receiver.secret], "lists": [["list_id": "2", "remote_list": "newsletter"]],
                ])
                let connection = try created.decode(ConnectionBody.self).id
                let id = try await api.subscribedContact("ada@example.com", firstName: "Ada", apiToken: token)
                try await fixture.drain(connection)
                _ = try await api.request(.put, "/api/3/contacts/\(id)", apiToken: token, json: ["contact": ["firstName": "Ada L."]])
                try await fixture.drain(connection)
                _ = try await api.request(.post, "/api/3/contacts/\(id)/erase", apiToken: token)
                try await fixture.drain(connection)

                let events = receiver.applied
                #expect(events.map(\.type) == ["contact.updated", "contact.updated", "contact.erased"])
                #expect(Set(events.map(\.id)).count == 3)
                let sequence = events.compactMap { Int($0.id.split(separator: "_").last ?? "") }
                #expect(sequence == sequence.sorted(), "a contact's events in the order of its changes")
                #expect(events[1].json["contact"]?.objectValue?["attributes"] == .object(["first_name": .string("Ada L."), "last_name": .string("")]))
                #expect(events[0].json["contact"]?.objectValue?["lists"] == .object(["newsletter": .string("subscribed")]))
                #expect(events[2].email == ContactErasure.placeholderEmail(contactID: Int64(id)))
                #expect(receiver.state.withLock { $0.badSignatures } == 0)
            }
        }
    }

    /// Every writer feeds the outbox, in its own transaction: a CSV-free bulk import, an erasure by
    /// email and a deletion each queue the contacts a connection maps.
    @Test func everyWriterFeedsTheOutbox() async throws {
        let fixture = try await SyncFixture()
        try await fixture.test { api in
            let (account, token) = try await api.fitnessSandbox(agency: fixture.agency)
            let created = try await api.createConnection(account: account, agency: fixture.agency, [
                "name": "CRM", "provider": "webhook", "url": "http://127.0.0.1:9/events", "credentials": ["secret": "0123456789abcdef0123"],
                "lists": [["list_id": "2", "remote_list": "newsletter"]],
            ])
            let connection = try created.decode(ConnectionBody.self).id
            let imported = try await api.request(.post, "/api/3/import/bulk_import", apiToken: token, json: [
                "contacts": [["email": "bulk1@example.com", "subscribe": [["listid": "2"]]], ["email": "bulk2@example.com", "subscribe": [["listid": "2"]]]],
            ])
            #expect(imported.status.code < 300)
            let queued = try await fixture.database.pendingSyncContacts(connectionID: connection, limit: 10)
            #expect(queued.count == 2)
            _ = try await api.request(.post, "/v1/accounts/\(account)/contacts/erase", agency: fixture.agency, json: ["email": "bulk1@example.com"])
            let afterErase = try await fixture.database.pendingSyncChanges(connectionID: connection)
            #expect(afterErase > 2)
        }
    }
}
