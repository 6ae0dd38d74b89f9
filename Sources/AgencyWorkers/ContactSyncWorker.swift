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
    /// Connections with a task under way; the poll does not start them twice.
    let busy = BusyKeys<Int64>()

    public init(database: AppDatabase, settings: SyncSettings, logger: Logger) {
        self.engine = ContactSyncEngine(database: database, settings: settings, logger: logger)
        self.database = database
        self.pollInterval = settings.pollInterval
        self.logger = logger
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                do {
                    try await startDue(now: Date(), in: &group)
                } catch {
                    // Stopping (a signal, or a listener that failed to start) is not a failure to report.
                    if Task.isCancelled || Task.isShuttingDownGracefully { break }
                    logger.error("contact sync failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: pollInterval)
            }
            group.cancelAll()
        }
    }

    /// Starts a task for each connection with work due and none under way: its full sync when the
    /// interval has passed, then its outbox. Connections run side by side, so a remote that does not
    /// answer holds up only its own connection.
    func startDue(now: Date, in group: inout DiscardingTaskGroup) async throws {
        let fullSyncs = try await database.connectionsDueForFullSync(now: now)
        var due = fullSyncs
        for connection in try await database.dueSyncConnections(now: now) where !due.contains(where: { $0.id == connection.id }) {
            due.append(connection)
        }
        for connection in due where busy.claim(connection.id) {
            let full = fullSyncs.contains { $0.id == connection.id }
            group.addTask {
                do {
                    if full {
                        let summary = try await engine.fullSync(connection: connection, trigger: "interval")
                        logger.info("contact sync: full sync done", metadata: [
                            "connection": "\(connection.id)", "sent": "\(summary.sent)", "updated": "\(summary.updated)", "failed": "\(summary.failed)",
                            "calls": "\(summary.calls)",
                        ])
                    }
                    if let current = try await database.dueSyncConnections(now: Date()).first(where: { $0.id == connection.id }) {
                        _ = try await engine.deliverOutbox(of: current)
                    }
                } catch is CancellationError {
                    // The service is stopping; the outbox keeps what was not delivered.
                } catch {
                    logger.error("contact sync failed", metadata: ["connection": "\(connection.id)", "error": "\(error)"])
                }
                busy.release(connection.id)
            }
        }
    }


    /// Full syncs whose interval has passed, then the outbox, every connection side by side; returns when all are done.
    public func runOnce(now: Date) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for connection in try await database.connectionsDueForFullSync(now: now) {
                group.addTask { _ = try await engine.fullSync(connection: connection, trigger: "interval") }
            }
            try await group.waitForAll()
        }
        try await engine.deliverDue()
    }
}
