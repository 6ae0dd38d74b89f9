import AgencyDomain
import AgencyHTTP
import AgencyTestSupport
import AgencyWorkers
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// v3's webhooks, and their delivery to a real local receiver that fails on purpose.
@Suite("Per-account API: webhooks")
struct WebhooksAPITests {
    @Test func webhooksInV3Shape() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let create = { (body: [String: Any]) in try await api.request(.post, "/api/3/webhooks", apiToken: token, json: ["webhook": body]) }
            #expect(try await create(["name": "Hook", "url": "ftp://example.com", "events": ["subscribe"]]).status == .unprocessableContent)
            let badEvent = try await create(["name": "Hook", "url": "https://example.com/h", "events": ["deal_add"]])
            #expect((badEvent.firstV3Error?["source"] as? [String: String])?["pointer"] == "/webhook/events/0")
            let created = try await create(["name": "CRM sync", "url": "https://crm.example.com/ac", "events": ["subscribe", "unsubscribe"], "sources": ["api", "admin"]])
            #expect(created.status == .created)
            let webhook = try #require(created.json["webhook"] as? [String: Any])
            #expect(webhook["id"] as? String == "1")
            #expect(webhook["events"] as? [String] == ["subscribe", "unsubscribe"])
            let renamed = try await api.request(.put, "/api/3/webhooks/1", apiToken: token, json: ["webhook": ["name": "CRM"]])
            #expect((renamed.json["webhook"] as? [String: Any])?["url"] as? String == "https://crm.example.com/ac")
            #expect(try await api.request(.get, "/api/3/webhooks", apiToken: token).json["meta"] as? [String: String] == ["total": "1"])
            #expect((try await api.request(.get, "/api/3/webhook/events", apiToken: token).json["webhookEvents"] as? [String])?.contains("contact_tag_added") == true)
            #expect(try await api.request(.delete, "/api/3/webhooks/1", apiToken: token).status == .ok)
            #expect(try await api.request(.get, "/api/3/webhooks/1", apiToken: token).status == .notFound)
        }
    }

    /// Events are queued with the change and POSTed as ActiveCampaign posts them; a receiver that
    /// fails gets the event again later, and one that never answers is given up after 8 tries.
    @Test func deliveriesAreRetriedUntilTheReceiverAnswers() async throws {
        let service = try await TestService()
        let calls = Atomic<Int>(0)
        let bodies = Mutex<[String]>([])
        let receiver = Router()
        receiver.post("hook") { request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            // The first request fails: the receiver is "down".
            if calls.add(1, ordering: .relaxed).newValue == 1 { return Response(status: .internalServerError) }
            bodies.withLock { $0.append(body) }
            return Response(status: .ok)
        }
        try await Application(router: receiver).test(.live) { client in
            let port = try #require(client.port)
            try await service.test { api in
                let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
                _ = try await api.request(.post, "/api/3/webhooks", apiToken: token, json: ["webhook": [
                    "name": "Receiver", "url": "http://127.0.0.1:\(port)/hook", "events": ["subscribe", "contact_tag_added"],
                ]])
                _ = try await api.request(.post, "/api/3/webhooks", apiToken: token, json: ["webhook": [
                    "name": "Nobody home", "url": "http://127.0.0.1:1/hook", "events": ["subscribe"],
                ]])
                _ = try await api.createContact("zoë@example.com", apiToken: token)
                _ = try await api.request(.post, "/api/3/contactLists", apiToken: token, json: ["contactList": ["contact": "1", "list": "2", "status": 1]])
                _ = try await api.request(.post, "/api/3/contactTags", apiToken: token, json: ["contactTag": ["contact": "1", "tag": "3"]])
            }
            let deliverer = WebhookDeliverer(database: service.database, outbound: .loopbackForTests, logger: Logger(label: "test"))
            let start = Date()
            #expect(try await deliverer.deliverDue(now: start) == 1)
            #expect(try await deliverer.deliverDue(now: start) == 0, "a failed delivery waits before its next try")
            #expect(try await deliverer.deliverDue(now: start.addingTimeInterval(2)) == 1)
            let received = bodies.withLock { $0 }
            #expect(received.count == 2)
            #expect(received.contains { $0.hasPrefix("type=contact_tag_added&") && $0.contains("&tag=VIP&tag_id=3") })
            let subscribe = try #require(received.first { $0.hasPrefix("type=subscribe&") })
            #expect(subscribe.contains("contact%5Bemail%5D=zo%C3%AB%40example.com"))
            #expect(subscribe.contains("&list=2"))

            for hour in 1...10 { _ = try await deliverer.deliverDue(now: start.addingTimeInterval(Double(hour) * 3_600)) }
            let unreachable = try await service.database.webhookDeliveries(accountID: 1, webhookID: 2)
            #expect(unreachable.count == 1)
            #expect(unreachable.first?.attempts == WebhookRetry.maxAttempts)
            #expect(unreachable.first?.failed == true)
            #expect(unreachable.first?.lastError?.hasPrefix("no answer") == true, "\(unreachable.first?.lastError ?? "")")
            let reached = try await service.database.webhookDeliveries(accountID: 1, webhookID: 1)
            #expect(reached.map(\.attempts).sorted() == [1, 2])
            #expect(reached.allSatisfy { $0.delivered })
        }
    }
}
