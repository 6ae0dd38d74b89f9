import AgencyDomain
import AgencyHTTP
import AgencyOutbound
import AgencyStorage
import AgencyWorkers
import Foundation
import GRDB
import Hummingbird
import Logging

extension Benchmarks {
    /// 8. Contact sync: 10,000 contact changes delivered by the sync engine to a webhook receiver on
    /// loopback (signed JSON, one request per contact), and what an enabled connection adds to a
    /// contact write (the outbox trigger), against the same write in an account without one, side by side.
    func contactSync(_ database: AppDatabase, agencyID: Int64) async throws {
        print("## 8. Contact sync\n")
        print("A webhook connection (signed JSON events, `SyncWebhookEvent`) to a Hummingbird receiver on 127.0.0.1 that answers 200. Writes: one contact created, subscribed to a mapped list and renamed (three requests' worth, one transaction each, as the API does), alternating between an account with an enabled connection and one without, in the same run; the median of each. Deliveries: the worker's `ContactSyncEngine.deliverDue`, one contact after the other, after 10,000 changes were queued.\n")
        let port = 18_591
        let receiver = Router()
        receiver.post("events") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .ok)
        }
        let app = Application(router: receiver, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: Logger(label: "bench-receiver"))
        let serving = Task { try await app.runService() }
        defer { serving.cancel() }
        try await Task.sleep(for: .milliseconds(500))

        // The receiver is on loopback, which the service refuses unless allowed, as `--allow-outbound 127.0.0.1/32` does.
        let outbound = OutboundClient(policy: OutboundPolicy(allowed: [IPNetwork("127.0.0.1/32")!]))
        let settings = SyncSettings(cipher: .random(), outbound: outbound, policy: SyncRetryPolicy(requestTimeout: 5))
        var logger = Logger(label: "bench-sync")
        logger.logLevel = .warning
        let engine = ContactSyncEngine(database: database, settings: settings, logger: logger)
        let with = try await paidAccount(database, agencyID: agencyID, name: "Sync on")
        let without = try await paidAccount(database, agencyID: agencyID, name: "Sync off")
        let draft = try SyncConnectionDraft(
            name: "Receiver", provider: "webhook", direction: nil, endpoint: "http://127.0.0.1:\(port)/events",
            lists: [SyncListPair(listID: 1, remoteList: "one")], fields: nil, intervalMinutes: 0, dailyBudget: 1_000_000
        )
        let cipher = settings.cipher
        let connection = try await database.createConnection(
            accountID: with, agencyID: agencyID, draft: draft, sealCredentials: { id in try cipher.seal(SyncCredentials(secret: "bench-secret-0123456789"), binding: id) },
            sealInboundSecret: nil, enabled: true
        )

        let writes = 2_000
        var on: [Double] = []
        var off: [Double] = []
        for index in 0..<writes {
            for (account, into) in [(with, 0), (without, 1)] {
                let seconds = try await Measure.time {
                    let contact = try await database.createContact(accountID: account, try ContactDraft(email: "w\(index)@example.com", firstName: "W", lastName: "\(index)", phone: nil))
                    _ = try await database.link(.list, accountID: account, contactID: contact.id, assetID: 1, value: "1")
                    _ = try await database.updateContact(accountID: account, id: contact.id, try ContactDraft(email: "w\(index)@example.com", firstName: "Renamed", lastName: "\(index)", phone: nil))
                }
                if into == 0 { on.append(seconds) } else { off.append(seconds) }
            }
        }
        let ratio = Measure.median(on) / Measure.median(off)
        print("| contact write (create + subscribe + rename) | median | p90 |")
        print("|---|---:|---:|")
        for (name, values) in [("with an enabled connection", on), ("without", off)] {
            let sorted = values.sorted()
            print("| \(name) | \(Measure.ms(Measure.median(values))) | \(Measure.ms(sorted[Int(Double(sorted.count) * 0.9)])) |")
        }
        print("\nwith ÷ without: \(Measure.ratio(ratio)) (target ≤ 1.20×)\n")

        // Deliver what the writes queued, then queue 10,000 more and time their delivery.
        while try await database.pendingSyncChanges(connectionID: connection.id) > 0 { try await engine.deliverDue(perConnection: 10_000) }
        let changes = 10_000
        for index in 0..<changes {
            let contact = try await database.createContact(accountID: with, try ContactDraft(email: "d\(index)@example.com", firstName: "D", lastName: "\(index)", phone: nil))
            _ = try await database.link(.list, accountID: with, contactID: contact.id, assetID: 1, value: "1")
        }
        let queued = try await database.pendingSyncChanges(connectionID: connection.id)
        var delivered = 0
        let seconds = try await Measure.time {
            while try await database.pendingSyncChanges(connectionID: connection.id) > 0 {
                delivered += try await engine.deliverDue(perConnection: 10_000)
            }
        }
        let calls = try await database.syncCallsUsed(connectionID: connection.id, on: Date())
        print("| changes queued | delivered | time | deliveries/s | API calls counted |")
        print("|---:|---:|---:|---:|---:|")
        print("| \(queued) | \(delivered) | \(String(format: "%.2f s", seconds)) | \(Int(Double(delivered) / seconds)) | \(calls) |")
        print("")
        try await database.deleteAccount(id: with, agencyID: agencyID)
        try await database.deleteAccount(id: without, agencyID: agencyID)
        await outbound.shutdown()
    }
}
