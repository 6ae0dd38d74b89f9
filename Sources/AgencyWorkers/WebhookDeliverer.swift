import AgencyDomain
import AgencyOutbound
import AgencyStorage
import Foundation
import Logging
import ServiceLifecycle

/// POSTs one webhook request; answers the HTTP status. The product's is the outbound client; tests may pass another.
public protocol WebhookTransport: Sendable {
    func post(url: String, form: String) async throws -> Int
}

/// Sends queued webhook events (`webhook_deliveries`) as part of `agency serve`. Each webhook is a
/// queue of its own, delivered in order; queues run side by side, so one slow or silent receiver
/// delays only its own events (the outbound client bounds requests per host and in all). A 2xx
/// answer delivers an event; anything else (a 3xx included: redirects are not followed), no answer
/// within the client's deadline, or an address the outbound policy refuses, is tried again later,
/// 1 s, 2 s, 4 s … after (`WebhookRetry`), up to 8 times. Events are queued by the database's
/// triggers in the transaction of the change, so none is lost when the service stops.
public struct WebhookDeliverer: Service {
    let database: AppDatabase
    let transport: any WebhookTransport
    let logger: Logger
    /// How often the worker looks for due events.
    let pollInterval: Duration
    /// Queues with a task under way; the poll does not start them twice.
    let busy = BusyKeys<String>()

    public init(database: AppDatabase, outbound: OutboundClient = .standard, pollInterval: Duration = .seconds(1), logger: Logger) {
        self.init(database: database, transport: OutboundWebhookTransport(client: outbound), pollInterval: pollInterval, logger: logger)
    }

    public init(database: AppDatabase, transport: any WebhookTransport, pollInterval: Duration = .seconds(1), logger: Logger) {
        self.database = database
        self.transport = transport
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                do {
                    for (key, deliveries) in try await dueQueues(now: Date()) where busy.claim(key) {
                        group.addTask {
                            do {
                                _ = try await deliver(deliveries, now: { Date() })
                            } catch is CancellationError {
                                // The service is stopping; what was not recorded is sent at the next start.
                            } catch {
                                logger.error("webhook deliveries failed", metadata: ["error": "\(error)"])
                            }
                            busy.release(key)
                        }
                    }
                } catch {
                    // Stopping (a signal, or a listener that failed to start) is not a failure to report.
                    if Task.isCancelled || Task.isShuttingDownGracefully { break }
                    logger.error("webhook deliveries failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: pollInterval)
            }
            group.cancelAll()
        }
    }

    /// Sends every delivery due at `now`, the webhooks side by side; answers how many were delivered.
    @discardableResult
    public func deliverDue(now: Date) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for (_, deliveries) in try await dueQueues(now: now) {
                group.addTask { try await deliver(deliveries, now: { now }) }
            }
            return try await group.reduce(0, +)
        }
    }

    /// Due deliveries by webhook (its account and URL), each in the order it is due.
    func dueQueues(now: Date) async throws -> [(String, [WebhookDelivery])] {
        var order: [String] = []
        var queues: [String: [WebhookDelivery]] = [:]
        for delivery in try await database.dueWebhookDeliveries(now: now) {
            let key = "\(delivery.accountID) \(delivery.url)"
            if queues[key] == nil { order.append(key) }
            queues[key, default: []].append(delivery)
        }
        return order.map { ($0, queues[$0] ?? []) }
    }


    /// One webhook's deliveries, in order; answers how many were delivered.
    func deliver(_ deliveries: [WebhookDelivery], now: @Sendable () -> Date) async throws -> Int {
        var delivered = 0
        for delivery in deliveries {
            let form = WebhookPayload.form(
                event: delivery.event, dateTime: delivery.createdAt, contact: delivery.contact, subjectID: delivery.subjectID,
                tagName: delivery.tagName, link: delivery.link
            )
            var failure: String?
            do {
                let status = try await transport.post(url: delivery.url, form: form)
                if !(200..<300).contains(status) { failure = "HTTP \(status)" }
            } catch let refused as OutboundRefused {
                failure = "refused: \(refused.message)"
            } catch let error as OutboundFailure {
                failure = error.description
            } catch {
                // What is kept names the failure, never the body, which holds a contact's data.
                failure = "no answer (\(String(describing: type(of: error))))"
            }
            try await database.recordWebhookAttempt(id: delivery.id, delivered: failure == nil, error: failure, now: now())
            if failure == nil { delivered += 1 }
        }
        return delivered
    }
}

/// The production transport: the service's one outbound client.
public struct OutboundWebhookTransport: WebhookTransport {
    let client: OutboundClient

    public init(client: OutboundClient) {
        self.client = client
    }

    public func post(url: String, form: String) async throws -> Int {
        let headers = ["content-type": "application/x-www-form-urlencoded", "user-agent": "agency-snapshots-webhooks"]
        return try await client.send(method: "POST", url: url, headers: headers, body: Array(form.utf8)).status
    }
}
