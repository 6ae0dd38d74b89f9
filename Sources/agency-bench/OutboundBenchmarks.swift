import AgencyDomain
import AgencyOutbound
import AgencyStorage
import AgencyWorkers
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix

extension Benchmarks {
    /// 10. Outbound isolation (issue 26): webhook deliveries per second to 20 receivers on loopback,
    /// with one tarpit (accepts, never answers) among them, against the same without it.
    func outboundIsolation(_ database: AppDatabase, agencyID: Int64) async throws {
        print("## 10. Outbound calls: one tarpit among 20 receivers\n")
        let contacts = options.outboundContacts
        print("20 webhooks of one account, each to its own Hummingbird receiver on 127.0.0.1 (its own port) that answers 200; \(contacts) contacts subscribed, so \(20 * contacts) deliveries, sent by `WebhookDeliverer.run()` (polling every 10 ms) through the outbound client and its egress guard (127.0.0.1/32 allowed; request deadline 2 s). Then the same with a 21st webhook to a tarpit. Deliveries per second to the 20 receivers.\n")
        var receivers: [Task<Void, any Error>] = []
        var urls: [String] = []
        for index in 0..<20 {
            let port = 18_600 + index
            let router = Router()
            router.post("hook") { request, _ -> Response in
                _ = try await request.body.collect(upTo: 1 << 20)
                return Response(status: .ok)
            }
            // Stopping a receiver by cancelling its task logs shutdown errors that say nothing about deliveries.
            var logger = Logger(label: "bench-receiver")
            logger.logLevel = .critical
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
            receivers.append(Task { try await app.runService() })
            urls.append("http://127.0.0.1:\(port)/hook")
        }
        defer { receivers.forEach { $0.cancel() } }
        let tarpit = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { $0.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { tarpit.close(promise: nil) }
        try await Task.sleep(for: .milliseconds(500))

        let client = OutboundClient(
            policy: OutboundPolicy(allowed: [IPNetwork("127.0.0.1/32")!]),
            settings: OutboundSettings(connectTimeout: .seconds(1), requestTimeout: .seconds(2))
        )
        var logger = Logger(label: "bench-outbound")
        logger.logLevel = .critical
        var rates: [Double] = []
        for withTarpit in [false, true] {
            let account = try await paidAccount(database, agencyID: agencyID, name: withTarpit ? "Outbound with tarpit" : "Outbound")
            var targets = urls
            if withTarpit { targets.append("http://127.0.0.1:\(tarpit.localAddress?.port ?? 0)/hook") }
            for (index, url) in targets.enumerated() {
                _ = try await database.createWebhook(accountID: account, try WebhookDraft(name: "R\(index)", url: url, events: ["subscribe"], sources: nil))
            }
            for index in 0..<contacts {
                let contact = try await database.createContact(accountID: account, try ContactDraft(email: "o\(index)@example.com", firstName: "O", lastName: "\(index)", phone: nil))
                _ = try await database.link(.list, accountID: account, contactID: contact.id, assetID: 1, value: "1")
            }
            let deliverer = WebhookDeliverer(database: database, outbound: client, pollInterval: .milliseconds(10), logger: logger)
            let start = Date()
            let running = Task { try await deliverer.run() }
            var delivered = 0
            while delivered < 20 * contacts, Date().timeIntervalSince(start) < 120 {
                try await Task.sleep(for: .milliseconds(20))
                delivered = 0
                for id in 1...20 {
                    delivered += try await database.webhookDeliveries(accountID: account, webhookID: Int64(id)).filter(\.delivered).count
                }
            }
            let seconds = Date().timeIntervalSince(start)
            if delivered < 20 * contacts {
                let sample = try await database.webhookDeliveries(accountID: account, webhookID: 1).first
                FileHandle.standardError.write(Data("agency-bench: section 10 delivered \(delivered) of \(20 * contacts) in 120 s; webhook 1: \(String(describing: sample))\n".utf8))
            }
            running.cancel()
            _ = await running.result
            rates.append(Double(delivered) / seconds)
            print("| \(withTarpit ? "20 receivers + 1 tarpit" : "20 receivers") | \(delivered) delivered | \(String(format: "%.2f s", seconds)) | \(Int(Double(delivered) / seconds))/s |")
            try await database.deleteAccount(id: account, agencyID: agencyID)
        }
        print("\nwith tarpit ÷ without: \(Measure.ratio(rates[1] / rates[0])) (target ≥ 0.90×)\n")
        await client.shutdown()
    }
}
