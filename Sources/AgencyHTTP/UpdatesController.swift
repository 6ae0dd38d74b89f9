import AgencyAPI
import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird

/// Keeping client accounts current: snapshot diffs, drift, updates of one account and pushes to many.
struct UpdatesController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("snapshots/:id/diff/:other", use: diff)
        group.get("snapshots/:id/behind", use: behind)
        group.post("snapshots/:id/push", use: push)
        group.get("accounts/:id/drift", use: drift)
        group.post("accounts/:id/updates", use: update)
        group.get("accounts/:id/updates", use: history)
    }

    @Sendable func diff(_ request: Request, context: AppRequestContext) async throws -> Response {
        let from = try pathID(context, what: "Snapshot")
        let to = try pathID(context, "other", what: "Snapshot")
        let diff = try await database.snapshotDiff(from: from, to: to, agencyID: try context.requireAgency())
        return try JSONReply.make(SnapshotDiffBody(diff))
    }

    @Sendable func behind(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try pathID(context, what: "Snapshot")
        let accounts = try await database.accountsBehind(snapshotID: id, agencyID: try context.requireAgency())
        return try JSONReply.make(BehindReply(snapshot_id: id, accounts: accounts))
    }

    @Sendable func drift(_ request: Request, context: AppRequestContext) async throws -> Response {
        let drift = try await database.drift(accountID: try pathID(context, what: "Account"), agencyID: try context.requireAgency())
        return try JSONReply.make(DriftBody(drift))
    }

    /// With an `Idempotency-Key`, a retry of the same request to the same account gets the first
    /// report back and changes nothing.
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agencyID = try context.requireAgency()
        let accountID = try pathID(context, what: "Account")
        let body = try await request.decodeJSON(UpdateRequest.self)
        let options = try Self.options(snapshotID: body.snapshot_id, dryRun: body.dry_run, policy: body.policy, kinds: body.kinds)
        let key = try request.headers[.idempotencyKey].map(IdempotentReply.validatedKey)
        // The account is part of the request: the same body sent to another account is another request.
        let digest = IdempotentReply.requestDigest(Data("\(accountID)\n".utf8) + (try JSONReply.encoder.encode(body)))
        let (report, replayed) = try await ServiceMetrics.timed(ServiceMetrics.updateDuration) {
            try await database.updateAccountOrReplay(id: accountID, agencyID: agencyID, options: options, idempotency: key.map { ($0, digest) })
        }
        return try JSONReply.make(UpdateReportBody(report), headers: replayed ? [.idempotentReplayed: "true"] : [:])
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try pathID(context, what: "Account")
        let records = try await database.updateHistory(accountID: id, agencyID: try context.requireAgency())
        return try JSONReply.make(UpdateHistoryBody(account_id: id, updates: records.map {
            .init(id: $0.id, from_snapshot_id: $0.fromSnapshotID, to_snapshot_id: $0.toSnapshotID, from_digest: $0.fromDigest,
                  to_digest: $0.toDigest, policy: $0.policy, counts: $0.counts, created_at: $0.createdAt)
        }))
    }

    @Sendable func push(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agencyID = try context.requireAgency()
        let snapshotID = try pathID(context, what: "Snapshot")
        let body = try await request.decodeJSON(PushRequest.self)
        let options = try Self.options(snapshotID: FlexibleID(snapshotID), dryRun: body.dry_run, policy: body.policy, kinds: nil)
        let accounts: [Int64]? = switch body.accounts {
        case nil: throw DomainError.invalid(field: "accounts", message: "'accounts' is required: a list of account ids, or \"all\".")
        case .all?: nil
        case .some(let ids)?: ids.map(\.value)
        }
        let outcomes = try await database.push(snapshotID: snapshotID, agencyID: agencyID, accountIDs: accounts, options: options)
        return try JSONReply.make(PushReply(snapshot_id: snapshotID, dry_run: options.dryRun, accounts: outcomes.map { outcome in
            PushAccountBody(
                account_id: outcome.accountID, status: outcome.status.rawValue, report: outcome.report.map(UpdateReportBody.init),
                error: outcome.error.map { ErrorReply(code: $0.code, message: $0.message, field: nil).error }
            )
        }))
    }

    static func options(snapshotID: FlexibleID?, dryRun: Bool?, policy: String?, kinds: [String]?) throws -> UpdateOptions {
        guard let snapshotID = snapshotID?.value else {
            throw DomainError.invalid(field: "snapshot_id", message: "'snapshot_id' is required: the snapshot to update the account to.")
        }
        return UpdateOptions(
            snapshotID: snapshotID, dryRun: dryRun ?? false,
            policy: try policy.map { try MergePolicy.parse($0, field: "policy") } ?? .keepClient,
            kinds: try kinds.map { names in
                Set(try names.enumerated().map { index, name in
                    guard let kind = AssetSpec.kind(atPath: name) ?? AssetKind(rawValue: name) else {
                        throw DomainError.invalid(field: "kinds[\(index)]", message: "'kinds[\(index)]' must be an asset kind such as tags or automations; '\(name)' is not one.")
                    }
                    return kind
                })
            }
        )
    }
}
