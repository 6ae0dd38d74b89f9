import AgencyDomain
import AgencyStorage
import Foundation
import Logging
import ServiceLifecycle

/// Part of `agency serve`, beside `WebhookDeliverer`: delivers the sync outbox of every enabled
/// connection, contact by contact, and runs each connection's full sync when its interval has passed.
/// The outbox is filled by the database's triggers in the transaction of each change, and a change
/// leaves it only once the remote has answered, so a stop (even SIGKILL) loses nothing: the next
/// start sends what was under way again, which the providers take as the same request.
public struct ContactSyncWorker: Service {
    let engine: ContactSyncEngine
    let database: AppDatabase
    let pollInterval: Duration
    let logger: Logger

    public init(database: AppDatabase, settings: SyncSettings, logger: Logger) {
        self.engine = ContactSyncEngine(database: database, settings: settings, logger: logger)
        self.database = database
        self.pollInterval = settings.pollInterval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await runOnce(now: Date())
            } catch {
                // Stopping (a signal, or a listener that failed to start) is not a failure to report.
                if Task.isCancelled || Task.isShuttingDownGracefully { break }
                logger.error("contact sync failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: pollInterval)
        }
    }

    /// Full syncs whose interval has passed, then the outbox.
    public func runOnce(now: Date) async throws {
        for connection in try await database.connectionsDueForFullSync(now: now) {
            let summary = try await engine.fullSync(connection: connection, trigger: "interval")
            logger.info("contact sync: full sync done", metadata: [
                "connection": "\(connection.id)", "sent": "\(summary.sent)", "updated": "\(summary.updated)", "failed": "\(summary.failed)", "calls": "\(summary.calls)",
            ])
        }
        try await engine.deliverDue()
    }
}
