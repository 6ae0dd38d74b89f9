import AgencyAPI
import AgencyDomain
import AgencyHTTP
import AgencyOutbound
import AgencyStorage
import AgencyTestSupport
import AgencyWorkers
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Issue 26: the URLs users type in (webhooks, sync connections) never reach the host's own network,
/// by address, by name or by redirect, unless an operator allows a block; no remote body is passed on.
@Suite("Outbound calls: the address policy")
struct OutboundPolicyTests {
    static let refused: [(String, String)] = [
        ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
        ("10.0.0.5", "RFC 1918"), ("172.16.0.1", "RFC 1918"), ("172.31.255.255", "RFC 1918"), ("192.168.1.1", "RFC 1918"),
        ("100.64.0.1", "carrier-grade NAT"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
        ("fc00::1", "unique-local"), ("fd12:3456::1", "unique-local"), ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("255.255.255.255", "broadcast"),
        ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "link-local"), ("::ffff:10.1.2.3", "RFC 1918"),
        ("::10.1.2.3", "RFC 1918"), ("::ffff:7f00:1", "loopback"),
    ]

    @Test func everyRefusedClassIsRefusedByLiteral() throws {
        let policy = OutboundPolicy()
        for (text, rule) in Self.refused {
            let address = try #require(IPAddress(text), "\(text) parses")
            let reason = policy.refusal(for: address)
            #expect(reason?.contains(rule) == true, "\(text): \(reason ?? "allowed")")
        }
        for text in ["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"] {
            #expect(policy.refusal(for: try #require(IPAddress(text))) == nil, "\(text) is public")
        }
    }

    @Test func anAllowedBlockLetsOnlyItselfThrough() throws {
        let policy = OutboundPolicy(allowed: [try #require(IPNetwork("127.0.0.1/32"))])
        #expect(policy.refusal(for: try #require(IPAddress("127.0.0.1"))) == nil)
        #expect(policy.refusal(for: try #require(IPAddress("::ffff:127.0.0.1"))) == nil, "its mapped form too")
        #expect(policy.refusal(for: try #require(IPAddress("127.0.0.2"))) != nil)
        #expect(policy.refusal(for: try #require(IPAddress("10.0.0.1"))) != nil)
        #expect(IPNetwork("10.0.0.0/33") == nil)
        #expect(IPNetwork("not-an-address/8") == nil)
        #expect(IPNetwork("fc00::/7")?.contains(try #require(IPAddress("fdff::1"))) == true)
    }

    @Test func aNameIsJudgedByEveryAddressItResolvesTo() async throws {
        let resolver = NameTableResolver([
            "intranet.test": ["10.0.0.5"], "metadata.test": ["169.254.169.254"], "mixed.test": ["93.184.215.14", "192.168.0.9"], "public.test": ["93.184.215.14"],
        ])
        let policy = OutboundPolicy()
        await #expect(throws: OutboundRefused.self) { try await policy.check(host: "intranet.test", resolver: resolver) }
        await #expect(throws: OutboundRefused.self) { try await policy.check(host: "mixed.test", resolver: resolver) }
        #expect(try await policy.check(host: "public.test", resolver: resolver).map(\.description) == ["93.184.215.14"])
        do {
            _ = try await policy.check(host: "metadata.test", resolver: resolver)
        } catch let refused as OutboundRefused {
            #expect(refused.message.contains("'metadata.test' resolves to 169.254.169.254, a link-local address"))
            #expect(refused.message.contains("--allow-outbound"))
        }
        // localhost through the machine's own resolver.
        await #expect(throws: OutboundRefused.self) { try await policy.check(host: "localhost", resolver: SystemResolver()) }
    }

    /// A webhook or connection whose URL names a refused address is a 422 naming the rule, by
    /// literal and by name; the opt-in block lets 127.0.0.1 through.
    @Test func refusedURLsAreA422NamingTheRule() async throws {
        let service = try await TestService()
        let client = OutboundClient(resolver: NameTableResolver(["intranet.test": ["10.0.0.5"], "localhost": ["127.0.0.1"]]))
        let router = buildRouter(database: service.database, settings: TestService.settings, sync: .ephemeral(outbound: client))
        try await Application(router: router).test(.router) { raw in
            let api = APIClient(client: raw)
            let (account, token) = try await api.sandboxWithToken(agency: service.agencyA)
            for url in ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://intranet.test/hook", "http://[::ffff:169.254.169.254]/", "http://0.0.0.0:80/"] {
                let reply = try await api.request(.post, "/api/3/webhooks", apiToken: token, json: ["webhook": ["name": "x", "url": url, "events": ["subscribe"]]])
                #expect(reply.status == .unprocessableContent, "\(url)")
                #expect(reply.text.contains("outbound_refused") || reply.text.contains("--allow-outbound"), "\(url): \(reply.text)")
            }
            let named = try await api.request(.post, "/api/3/webhooks", apiToken: token, json: ["webhook": ["name": "x", "url": "http://intranet.test/hook", "events": ["subscribe"]]])
            #expect(named.text.contains("10.0.0.5") && named.text.contains("RFC 1918"), "\(named.text)")

            let metadata = try await api.createConnection(account: account, agency: service.agencyA, [
                "name": "B", "provider": "brevo", "base_url": "http://169.254.169.254/latest/meta-data/iam/security-credentials", "credentials": ["api_key": "k"],
                "lists": [["list_id": "2", "remote_list": "17"]],
            ])
            #expect(metadata.status == .unprocessableContent)
            #expect(metadata.errorCode == "outbound_refused", "\(metadata.text)")
            for base in ["https://api.brevo.com/#", "https://api.brevo.com/?x=1", "https://user:pw@api.brevo.com"] {
                let shaped = try await api.createConnection(account: account, agency: service.agencyA, [
                    "name": "B", "provider": "brevo", "base_url": base, "lists": [["list_id": "2", "remote_list": "17"]],
                ])
                #expect(shaped.status == .unprocessableContent, "\(base)")
                #expect(shaped.errorCode == "invalid", "\(base): \(shaped.text)")
            }
        }
        await client.shutdown()
        // The opt-in: the same loopback URL is saved by a service that allows 127.0.0.1/32.
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let reply = try await api.request(.post, "/api/3/webhooks", apiToken: token, json: ["webhook": ["name": "x", "url": "http://127.0.0.1:9/hook", "events": ["subscribe"]]])
            #expect(reply.status == .created, "\(reply.text)")
        }
    }

    /// A loopback receiver that answers 302 to another address: the redirect is not followed, and the
    /// delivery is a failure with its status.
    @Test func redirectsAreNotFollowed() async throws {
        let followed = Atomic<Int>(0)
        let target = Router()
        target.get("admin") { _, _ -> Response in
            followed.add(1, ordering: .relaxed)
            return Response(status: .ok)
        }
        target.post("admin") { _, _ -> Response in
            followed.add(1, ordering: .relaxed)
            return Response(status: .ok)
        }
        try await Application(router: target).test(.live) { targetClient in
            let targetPort = try #require(targetClient.port)
            let redirector = Router()
            redirector.post("hook") { _, _ -> Response in
                Response(status: .found, headers: [.location: "http://127.0.0.1:\(targetPort)/admin"])
            }
            try await Application(router: redirector).test(.live) { redirectorClient in
                let port = try #require(redirectorClient.port)
                let service = try await TestService()
                try await service.test { api in
                    let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
                    _ = try await api.request(.post, "/api/3/webhooks", apiToken: token, json: ["webhook": [
                        "name": "Redirects", "url": "http://127.0.0.1:\(port)/hook", "events": ["subscribe"],
                    ]])
                    _ = try await api.subscribedContact("zoe@example.com", apiToken: token)
                }
                let deliverer = WebhookDeliverer(database: service.database, outbound: .loopbackForTests, logger: Logger(label: "test"))
                #expect(try await deliverer.deliverDue(now: Date()) == 0)
                let deliveries = try await service.database.webhookDeliveries(accountID: 1, webhookID: 1)
                #expect(deliveries.first?.lastError == "HTTP 302")
                #expect(followed.load(ordering: .relaxed) == 0, "the redirect was not followed")
            }
        }
    }
}

/// The guard checks the address it connects to, not only the one the caller checked.
@Suite("Outbound calls: the check at the socket")
struct OutboundSocketCheckTests {
    /// Answers 127.0.0.1 the first time it is asked and 10.0.0.5 after: DNS rebinding.
    final class RebindingResolver: OutboundResolver {
        let asked = Mutex(0)

        func resolve(host: String) async throws -> [IPAddress] {
            let count = asked.withLock { value -> Int in
                value += 1
                return value
            }
            return [IPAddress(count == 1 ? "127.0.0.1" : "10.0.0.5")!]
        }
    }

    @Test func aNameThatChangesAfterTheCheckIsRefusedAtConnect() async throws {
        let reached = Atomic<Int>(0)
        let receiver = Router()
        receiver.post("hook") { _, _ -> Response in
            reached.add(1, ordering: .relaxed)
            return Response(status: .ok)
        }
        try await Application(router: receiver).test(.live) { raw in
            let port = try #require(raw.port)
            let resolver = RebindingResolver()
            let client = OutboundClient(policy: OutboundPolicy(allowed: [try #require(IPNetwork("127.0.0.1/32"))]), resolver: resolver)
            await #expect(throws: OutboundFailure.self) {
                _ = try await client.send(method: "POST", url: "http://rebind.test:\(port)/hook", headers: [:], body: [])
            }
            // The client tries to connect again until its connect deadline; the guard checks each try.
            #expect(resolver.asked.withLock { $0 } >= 2, "checked by the caller, then by the guard at the socket")
            #expect(reached.load(ordering: .relaxed) == 0, "the guard never connected to the address it did not check")
            await client.shutdown()
        }
    }

    /// A remote that sends its head and then trickles its body forever is no answer once the request
    /// deadline passes: the deadline covers the body, not only the head.
    @Test func aBodyThatNeverEndsIsCutAtTheDeadline() async throws {
        let trickler = Router()
        trickler.post("hook") { _, _ -> Response in
            Response(status: .ok, body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "a"))
                // Far past the client deadline of 1 s, short enough that the server shuts down soon after.
                try await Task.sleep(for: .seconds(5))
                try await writer.finish(nil)
            })
        }
        try await Application(router: trickler).test(.live) { raw in
            let port = try #require(raw.port)
            let client = OutboundClient(
                policy: OutboundPolicy(allowed: [try #require(IPNetwork("127.0.0.1/32"))]),
                settings: OutboundSettings(connectTimeout: .milliseconds(500), requestTimeout: .seconds(1))
            )
            await #expect(throws: OutboundFailure.self) {
                _ = try await client.send(method: "POST", url: "http://127.0.0.1:\(port)/hook", headers: [:], body: [])
            }
            await client.shutdown()
        }
    }

    /// An address refused when a delivery is due (the URL was saved while it was allowed) is a failure
    /// recorded with the rule, never a crash.
    @Test func aRefusalAtDeliveryIsARecordedFailure() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
            _ = try await api.request(.post, "/api/3/webhooks", apiToken: token, json: ["webhook": ["name": "Local", "url": "http://127.0.0.1:9/hook", "events": ["subscribe"]]])
            _ = try await api.subscribedContact("zoe@example.com", apiToken: token)
        }
        let strict = OutboundClient()
        let deliverer = WebhookDeliverer(database: service.database, outbound: strict, logger: Logger(label: "test"))
        #expect(try await deliverer.deliverDue(now: Date()) == 0)
        let deliveries = try await service.database.webhookDeliveries(accountID: 1, webhookID: 1)
        #expect(deliveries.first?.lastError?.hasPrefix("refused: 127.0.0.1 is a loopback address") == true, "\(String(describing: deliveries.first?.lastError))")
        await strict.shutdown()
    }
}
