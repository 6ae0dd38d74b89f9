import AgencyDomain
import AgencyStorage
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import ServiceLifecycle

/// POSTs one webhook request; answers the HTTP status. The product's is URLSession; tests pass the same.
public protocol WebhookTransport: Sendable {
    func post(url: String, form: String) async throws -> Int
}

/// Sends queued webhook events (`webhook_deliveries`), a batch a second, as part of `agency serve`.
/// A 2xx answer delivers an event; anything else, or no answer within 10 s, is tried again later,
/// 1 s, 2 s, 4 s … after (`WebhookRetry`), up to 8 times. Events are queued by the database's
/// triggers in the transaction of the change, so none is lost when the service stops: the next
/// start sends it.
public struct WebhookDeliverer: Service {
    let database: AppDatabase
    let transport: any WebhookTransport
    let logger: Logger

    public init(database: AppDatabase, transport: any WebhookTransport = URLSessionWebhookTransport(), logger: Logger) {
        self.database = database
        self.transport = transport
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                _ = try await deliverDue(now: Date())
            } catch {
                // Stopping (a signal, or a listener that failed to start) is not a failure to report.
                if Task.isCancelled || Task.isShuttingDownGracefully { break }
                logger.error("webhook deliveries failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Sends every delivery due at `now`, one at a time; answers how many were delivered.
    @discardableResult
    public func deliverDue(now: Date) async throws -> Int {
        var delivered = 0
        for delivery in try await database.dueWebhookDeliveries(now: now) {
            let form = WebhookPayload.form(
                event: delivery.event, dateTime: delivery.createdAt, contact: delivery.contact, subjectID: delivery.subjectID,
                tagName: delivery.tagName, link: delivery.link
            )
            var failure: String?
            do {
                let status = try await transport.post(url: delivery.url, form: form)
                if !(200..<300).contains(status) { failure = "HTTP \(status)" }
            } catch {
                // What is kept names the failure, never the body, which holds a contact's data.
                failure = "no answer (\(String(describing: type(of: error))))"
            }
            try await database.recordWebhookAttempt(id: delivery.id, delivered: failure == nil, error: failure, now: now)
            if failure == nil { delivered += 1 }
        }
        return delivered
    }
}

/// The production transport.
public struct URLSessionWebhookTransport: WebhookTransport {
    public init() {}

    public func post(url: String, form: String) async throws -> Int {
        guard let target = URL(string: url) else { throw URLError(.badURL) }
        var request = URLRequest(url: target, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.httpBody = Data(form.utf8)
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("agency-snapshots-webhooks", forHTTPHeaderField: "User-Agent")
        return try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { _, response, error in
                if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: (response as? HTTPURLResponse)?.statusCode ?? 0) }
            }.resume()
        }
    }
}
