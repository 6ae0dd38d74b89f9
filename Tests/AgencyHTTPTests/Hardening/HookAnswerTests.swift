import AgencyAPI
import AgencyDomain
import Foundation
import HTTPTypes
import Testing

/// Issue 27: `/hooks/connections/{id}` answered 401 for a two-way connection and 404 for any other,
/// so connection ids could be listed without a secret. Every request that does not prove itself now
/// gets the very same answer.
@Suite("The hook endpoint answers every unproven request alike")
struct HookAnswerTests {
    /// Given a two-way Brevo connection, a two-way webhook connection and an outbound one, when
    /// events arrive for unknown ids, a malformed id, the outbound connection, and the two-way ones
    /// without or with a wrong secret or signature, then every answer has the same status, headers'
    /// content type and body; the right secret still works.
    @Test func unknownOutboundAndUnsignedAreTheSame() async throws {
        let fixture = try await SyncFixture()
        try await fixture.test { api in
            let (account, _) = try await api.fitnessSandbox(agency: fixture.agency)
            let brevo = try await api.createConnection(account: account, agency: fixture.agency, [
                "name": "Brevo", "provider": "brevo", "base_url": "http://127.0.0.1:9", "direction": "two_way", "enabled": false,
                "lists": [["list_id": "2", "remote_list": "17"]], "fields": [],
            ]).decode(ConnectionBody.self)
            let webhook = try await api.createConnection(account: account, agency: fixture.agency, [
                "name": "CRM", "provider": "webhook", "url": "http://127.0.0.1:9/events", "direction": "two_way",
                "credentials": ["secret": "0123456789abcdef0123"], "lists": [["list_id": "2", "remote_list": "newsletter"]],
            ]).decode(ConnectionBody.self)
            let outbound = try await api.createConnection(account: account, agency: fixture.agency, [
                "name": "Out", "provider": "webhook", "url": "http://127.0.0.1:9/events", "lists": [["list_id": "1", "remote_list": "members"]],
            ]).decode(ConnectionBody.self)
            let brevoSecret = try #require(brevo.inbound_secret)
            let webhookSecret = try #require(webhook.inbound_secret)

            let event = #"{"id":"evt-1","type":"subscribe","email":"joiner@example.com","lists":["newsletter"]}"#
            let now = Int(Date().timeIntervalSince1970)
            let signedForWebhook = SyncSignature.header(secret: webhookSecret, timestamp: now, body: Array(event.utf8))
            let wronglySigned = SyncSignature.header(secret: "not-the-secret-at-all", timestamp: now, body: Array(event.utf8))
            let stale = SyncSignature.header(secret: webhookSecret, timestamp: now - 600, body: Array(event.utf8))

            let cases: [(String, String, HTTPFields)] = [
                ("unknown id", "/hooks/connections/999999", [.testSignature: signedForWebhook]),
                ("unknown id, bearer", "/hooks/connections/999998", [.authorization: "Bearer \(brevoSecret)"]),
                ("malformed id", "/hooks/connections/abc", [:]),
                ("zero id", "/hooks/connections/0", [:]),
                ("outbound-only", "/hooks/connections/\(outbound.id)", [.testSignature: signedForWebhook]),
                ("brevo, no secret", "/hooks/connections/\(brevo.id)", [:]),
                ("brevo, wrong secret", "/hooks/connections/\(brevo.id)", [.authorization: "Bearer wrong"]),
                ("brevo, webhook's signature", "/hooks/connections/\(brevo.id)", [.testSignature: signedForWebhook]),
                ("webhook, unsigned", "/hooks/connections/\(webhook.id)", [:]),
                ("webhook, wrongly signed", "/hooks/connections/\(webhook.id)", [.testSignature: wronglySigned]),
                ("webhook, stale signature", "/hooks/connections/\(webhook.id)", [.testSignature: stale]),
                ("webhook, brevo's secret", "/hooks/connections/\(webhook.id)", [.authorization: "Bearer \(brevoSecret)"]),
            ]
            var answers: [String: String] = [:]
            for (name, path, headers) in cases {
                let reply = try await api.request(.post, path, raw: event, headers: headers)
                answers[name] = "\(reply.status.code) \(reply.headers[.contentType] ?? "") \(reply.text)"
                #expect(reply.status == .unauthorized, "\(name)")
                #expect(reply.errorCode == "unauthorized", "\(name)")
            }
            #expect(Set(answers.values).count == 1, "one answer for all: \(answers)")
            #expect(answers.values.first?.contains("not found") == false, "nothing says whether the id exists")

            let accepted = try await api.request(.post, "/hooks/connections/\(webhook.id)", raw: event, headers: [.testSignature: signedForWebhook])
            #expect(accepted.status == .ok)
        }
    }
}
