import AgencyDomain
import AgencyStorage
import Hummingbird

/// Keeping client accounts current from the dashboard: the diff between two snapshots, and a push
/// of the newer one to the accounts behind it, previewed first (dry run). The same storage calls as
/// `UpdatesController` (`snapshotDiff`, `accountsBehind`, `push`).
struct DashboardUpdatesController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("snapshots/diff", use: diff)
        group.post("snapshots/:id/push", use: push)
    }

    @Sendable func diff(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let fromID = request.query("from").flatMap { Int64($0) } ?? 0
        let toID = request.query("to").flatMap { Int64($0) } ?? 0
        let from = try await database.snapshot(id: fromID, agencyID: session.agencyID)
        let to = try await database.snapshot(id: toID, agencyID: session.agencyID)
        let diff = try await database.snapshotDiff(from: from.id, to: to.id, agencyID: session.agencyID)
        let behind = try await Self.names(of: try await database.accountsBehind(snapshotID: to.id, agencyID: session.agencyID), session, database)
        let totals = diff.counts.values.reduce(into: SnapshotDiff.Counts()) { sum, counts in
            sum.added += counts.added
            sum.removed += counts.removed
            sum.changed += counts.changed
            sum.unchanged += counts.unchanged
        }
        var chrome = DashboardAccountsController.chrome("\(from.name) → \(to.name)", session)
        chrome.onSnapshots = true
        return try DashboardPages.page("diff", DiffView(
            page: chrome, fromName: from.name, toName: to.name, toID: to.id,
            rows: diff.entries.map { entry in
                DiffRow(
                    kind: entry.kind.spec.path, id: entry.id, name: entry.name, status: entry.status.rawValue,
                    fields: entry.changes.map(\.pointer).joined(separator: ", ")
                )
            },
            summary: "\(totals.added) added, \(totals.removed) removed, \(totals.changed) changed, \(totals.unchanged) unchanged",
            behind: behind, hasBehind: !behind.isEmpty,
            policies: [
                Choice(value: MergePolicy.keepClient.rawValue, label: "Keep the client's changes where both changed a field", selected: true),
                Choice(value: MergePolicy.takeSnapshot.rawValue, label: "Take the snapshot's value where both changed a field", selected: false),
            ]
        ))
    }

    /// "Preview" (a dry run: nothing is written) or "Push": every account behind the snapshot, each in
    /// a transaction of its own. The report is this reply; pushing again finds them up to date.
    @Sendable func push(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let form = try await DashboardForm.read(request, secret: session.sessionID)
        let snapshot = try await database.snapshot(id: try pathID(context, what: "Snapshot"), agencyID: session.agencyID)
        let policy = try MergePolicy.parse(form["policy"] ?? MergePolicy.keepClient.rawValue, field: "policy")
        let dryRun = form["mode"] != "push"
        let outcomes = try await database.push(
            snapshotID: snapshot.id, agencyID: session.agencyID, accountIDs: nil,
            options: UpdateOptions(snapshotID: snapshot.id, dryRun: dryRun, policy: policy)
        )
        let names = try await Self.names(of: outcomes.map(\.accountID), session, database)
        var chrome = DashboardAccountsController.chrome(dryRun ? "Preview: push \(snapshot.name)" : "Pushed \(snapshot.name)", session)
        chrome.onSnapshots = true
        return try DashboardPages.page("push", PushView(
            page: chrome, dryRun: dryRun, snapshotName: snapshot.name, snapshotID: snapshot.id, policy: policy.rawValue,
            rows: zip(outcomes, names).map { outcome, name in
                PushRow(
                    account: name, status: outcome.status.rawValue.replacingOccurrences(of: "_", with: " "),
                    summary: outcome.report.map { report in
                        report.counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                    } ?? "",
                    error: outcome.error?.message
                )
            }
        ))
    }

    /// "Name (ID n)" for each account, in order.
    static func names(of ids: [Int64], _ session: SignedInSession, _ database: AppDatabase) async throws -> [String] {
        var names: [String] = []
        for id in ids {
            let name = (try? await database.account(id: id, agencyID: session.agencyID).name) ?? "Account"
            names.append("\(name) (ID \(id))")
        }
        return names
    }
}
