import AgencyDomain
import AgencyOutbound
import AgencyStorage
import Foundation
import Logging

/// Delivers contacts to their connections' remote tools: the outbox for the worker, every contact for
/// a full sync. A delivery sends the contact's state as it is when sent and is only recorded once the
/// remote has answered; sent again after a crash, it is the same request (Brevo's upsert, a webhook
/// event with the same id). Calls are counted against the day's budget before they are made.
public struct ContactSyncEngine: Sendable {
    let database: AppDatabase
    let settings: SyncSettings
    let logger: Logger

    public init(database: AppDatabase, settings: SyncSettings, logger: Logger) {
        self.database = database
        self.settings = settings
        self.logger = logger
    }

    /// How one contact's delivery ended.
    enum Step: Equatable {
        case delivered(new: Bool)
        case unchanged
        case failed
        /// The connection paused (429, outage, credentials, budget): stop for now, the change stays queued.
        case paused
    }

    /// One pass over every connection with changes waiting, the connections side by side (a slow
    /// remote holds up only its own connection); answers how many contacts were delivered.
    @discardableResult
    public func deliverDue(now: @escaping @Sendable () -> Date = { Date() }, perConnection: Int = 500) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for connection in try await database.dueSyncConnections(now: now()) {
                group.addTask { try await deliverOutbox(of: connection, now: now, perConnection: perConnection) }
            }
            return try await group.reduce(0, +)
        }
    }

    /// Delivers one connection's waiting changes, in order, until its outbox is empty, `perConnection`
    /// contacts were sent, or it pauses; answers how many were delivered.
    public func deliverOutbox(of connection: SyncConnection, now: @Sendable () -> Date = { Date() }, perConnection: Int = 500) async throws -> Int {
        guard let credentials = try await openCredentials(connection) else { return 0 }
        var delivered = 0
        var left = perConnection
        pass: while left > 0 {
            let batch = try await database.pendingSyncContacts(connectionID: connection.id, limit: min(left, 100))
            if batch.isEmpty { break }
            for pending in batch {
                left -= 1
                let (step, _) = try await deliver(
                    connection, credentials: credentials, contactID: pending.contactID, upTo: pending.upTo,
                    eventID: "evt_\(connection.id)_\(pending.upTo)", now: now()
                )
                if case .delivered = step { delivered += 1 }
                if step == .paused { break pass }
            }
        }
        return delivered
    }

    /// A full reconciliation: every contact on a mapped list or known remotely is compared with what the
    /// remote last acknowledged and sent when it differs. Stops when the connection pauses (budget,
    /// outage); what is left is counted as deferred and stays queued or is caught by the next run.
    public func fullSync(connection: SyncConnection, trigger: String, now: @Sendable () -> Date = { Date() }) async throws -> SyncRunSummary {
        guard connection.enabled else {
            throw DomainError.conflict(code: "connection_disabled", message: "Connection \(connection.id) is disabled; enable it before syncing.")
        }
        guard let credentials = try await openCredentials(connection) else {
            throw DomainError.conflict(code: "connection_credentials_unreadable", message: "The connection's credentials cannot be opened with this service's secret key; set them again.")
        }
        var summary = SyncRunSummary(connectionID: connection.id, trigger: trigger)
        summary.id = try await database.startSyncRun(connectionID: connection.id, trigger: trigger, now: now())
        let contacts = try await database.syncReconciliationContacts(connectionID: connection.id)
        summary.contacts = contacts.count
        for (index, contactID) in contacts.enumerated() {
            let upTo = try await database.latestSyncChange(connectionID: connection.id, contactID: contactID)
            let (step, called) = try await deliver(
                connection, credentials: credentials, contactID: contactID, upTo: upTo, eventID: "evt_\(connection.id)_run\(summary.id)_\(contactID)", now: now()
            )
            if called { summary.calls += 1 }
            switch step {
            case .delivered(let new): if new { summary.sent += 1 } else { summary.updated += 1 }
            case .unchanged: summary.unchanged += 1
            case .failed: summary.failed += 1
            case .paused: summary.deferred = contacts.count - index
            }
            if step == .paused { break }
        }
        return try await database.finishSyncRun(summary, now: now())
    }

    /// Delivers one contact; answers how it ended and whether an API call was made.
    func deliver(_ connection: SyncConnection, credentials: SyncCredentials, contactID: Int64, upTo: Int64?, eventID: String, now: Date) async throws -> (Step, Bool) {
        let record = try await database.syncContactRecord(connection: connection, contactID: contactID)
        let state = SyncContactState.make(contactID: contactID, source: record.source, lists: connection.lists, fields: connection.fields)
        let digest = state.digest
        if !state.worthSending(remoteEmail: record.remoteEmail) || (record.status == "ok" && record.syncedDigest == digest) {
            try await database.recordSyncDelivery(connectionID: connection.id, contactID: contactID, upTo: upTo, .unchanged, now: now)
            return (.unchanged, false)
        }
        guard try await database.reserveSyncCall(connectionID: connection.id, now: now) else {
            logger.info("contact sync paused: daily budget spent", metadata: ["connection": "\(connection.id)"])
            return (.paused, false)
        }
        let request = switch connection.provider {
        case .brevo:
            BrevoRequests.upsert(state, remoteEmail: record.remoteEmail, baseURL: connection.endpoint, apiKey: credentials.apiKey ?? "")
        case .webhook:
            SyncWebhookEvent.request(
                url: connection.endpoint, secret: credentials.secret ?? "",
                body: SyncWebhookEvent.body(eventID: eventID, connectionID: connection.id, state: state, previousEmail: record.remoteEmail, createdAt: Timestamp.string(from: now)),
                now: now
            )
        }
        let outcome: SyncOutcome
        do {
            let response = try await settings.transport.send(request, timeout: settings.policy.requestTimeout)
            // Only Brevo's own error fields are kept; a webhook receiver's body is never read back.
            let message = connection.provider == .brevo ? BrevoRequests.message(from: response.body) : ""
            outcome = SyncOutcome.classify(status: response.status, retryAfter: response.headers["retry-after"], message: message)
        } catch let refused as OutboundRefused {
            // The address changed since it was saved, or a rule changed: a failure naming the rule, retried later.
            outcome = .unreachable("refused: \(refused.message)")
        } catch let failure as OutboundFailure {
            outcome = .unreachable(failure.description)
        } catch {
            // What is kept names the failure, never the request, which holds a contact's data.
            outcome = .unreachable("no answer (\(String(describing: type(of: error))))")
        }
        // A pause counts from the answer, not from the request: a Retry-After of 1 s means 1 s from now.
        let answeredAt = max(now, Date())
        switch outcome {
        case .delivered:
            try await database.recordSyncDelivery(connectionID: connection.id, contactID: contactID, upTo: upTo, .delivered(remoteEmail: state.email, digest: digest), now: now)
            return (.delivered(new: record.remoteEmail == nil), true)
        case .rejected(let message):
            try await database.recordSyncDelivery(connectionID: connection.id, contactID: contactID, upTo: upTo, .failed(message: message), now: now)
            return (.failed, true)
        case .serverError(let message):
            let attempts = try await database.countSyncServerError(connectionID: connection.id, contactID: contactID, now: now)
            if attempts >= settings.policy.maxAttempts {
                try await database.recordSyncDelivery(
                    connectionID: connection.id, contactID: contactID, upTo: upTo, .failed(message: "Gave up after \(attempts) tries: \(message)"), now: now
                )
                return (.failed, true)
            }
            try await pause(connection, error: message, retryAfter: nil, now: answeredAt)
            return (.paused, true)
        case .rateLimited(let retryAfter):
            // Waiting what the remote asked is not a failure: it neither grows nor resets the backoff.
            try await pause(connection, error: "HTTP 429: rate limited", retryAfter: retryAfter, now: answeredAt, countsAsFailure: retryAfter == nil)
            return (.paused, true)
        case .unreachable(let message), .unauthorized(let message):
            try await pause(connection, error: message, retryAfter: nil, now: answeredAt)
            return (.paused, true)
        }
    }

    /// Pauses the connection: for the remote's `Retry-After`, or the backoff after its failures in a row.
    func pause(_ connection: SyncConnection, error: String, retryAfter: TimeInterval?, now: Date, countsAsFailure: Bool = true) async throws {
        let failures = try await database.syncFailuresInRow(connectionID: connection.id) + 1
        let delay = settings.policy.pause(retryAfter: retryAfter, failures: failures)
        try await database.pauseSyncConnection(id: connection.id, until: now.addingTimeInterval(delay), error: error, countsAsFailure: countsAsFailure)
        logger.info("contact sync paused", metadata: ["connection": "\(connection.id)", "seconds": "\(delay)", "reason": "\(error)"])
    }

    func openCredentials(_ connection: SyncConnection) async throws -> SyncCredentials? {
        guard let sealed = try await database.connectionSecrets(id: connection.id).credentials,
              let credentials = settings.cipher.openCredentials(sealed, binding: connection.id)
        else {
            try await database.pauseSyncConnection(
                id: connection.id, until: Date().addingTimeInterval(3_600), error: "The credentials cannot be opened with this service's secret key; set them again.",
                countsAsFailure: false
            )
            return nil
        }
        return credentials
    }

    /// Checks a field mapping against the remote tool: every attribute must exist there under exactly
    /// that name (Flexmail's rule). Brevo's attributes are read with `GET /v3/contacts/attributes`; a
    /// webhook receiver has no list to check against.
    public func checkRemoteAttributes(provider: SyncProvider, endpoint: String, credentials: SyncCredentials, fields: [SyncFieldPair]) async throws {
        guard provider == .brevo, !fields.isEmpty else { return }
        let response: SyncResponse
        do {
            try await settings.outbound.check(url: endpoint)
        } catch let refused as OutboundRefused where !refused.unresolved {
            throw refused.domainError(field: "base_url")
        } catch {}
        do {
            // Asked inside a request: at most 5 s, so that a remote that does not answer does not hold the caller.
            response = try await settings.transport.send(
                BrevoRequests.attributes(baseURL: endpoint, apiKey: credentials.apiKey ?? ""), timeout: min(settings.policy.requestTimeout, 5)
            )
        } catch let refused as OutboundRefused {
            throw refused.domainError(field: "base_url")
        } catch {
            // One message whatever went wrong: a closed port and a silent one look the same from outside.
            throw DomainError.unprocessable(code: "remote_unreachable", message: "Brevo did not answer at \(endpoint), so the field mapping could not be checked; nothing was saved.")
        }
        guard (200..<300).contains(response.status), let names = BrevoRequests.attributeNames(from: response.body) else {
            let code = [401, 403].contains(response.status) ? "remote_unauthorized" : "remote_refused"
            // Brevo's own error fields at most: never the bytes of whatever answered at that address.
            let said = BrevoRequests.message(from: response.body)
            throw DomainError.unprocessable(
                code: code, message: "Brevo answered HTTP \(response.status)\(said.isEmpty ? "" : " (\(said))") when asked for its attributes; nothing was saved."
            )
        }
        let known = Set(names)
        for (index, pair) in fields.enumerated() where !known.contains(pair.attribute) {
            let near = names.first { $0.lowercased() == pair.attribute.lowercased() }.map { " (it has '\($0)': names must match exactly)" } ?? ""
            throw DomainError.invalid(field: "fields[\(index)].attribute", message: "Brevo has no contact attribute named '\(pair.attribute)'\(near).")
        }
    }
}
