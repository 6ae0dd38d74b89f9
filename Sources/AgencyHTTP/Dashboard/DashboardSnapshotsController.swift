import AgencyDomain
import AgencyStorage
import Hummingbird

/// Account Snapshots: the agency's snapshots, "Create snapshot" from a sandbox, "Create account"
/// from a snapshot, and deleting one. The same storage calls as `SnapshotsController`.
struct DashboardSnapshotsController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("snapshots", use: list)
        group.post("snapshots", use: create)
        group.get("snapshots/:id/delete", use: confirmDelete)
        group.post("snapshots/:id/delete", use: delete)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        return try await page(session, notice: request.query("done").flatMap { DashboardAccountsController.notices[$0] })
    }

    /// Lists the newest snapshots (at most `Page.maximumLimit`), with the sandboxes to take one of.
    func page(
        _ session: SignedInSession, notice: String? = nil, sandboxID: Int64? = nil, name: String = "",
        nameError: String? = nil, sandboxError: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (snapshots, total) = try await database.snapshots(agencyID: session.agencyID, query: SnapshotQuery(page: Page(limit: Page.maximumLimit)))
        let (sandboxes, _) = try await database.accounts(agencyID: session.agencyID, kind: .sandbox, page: Page(limit: Page.maximumLimit))
        let sandboxNames = Dictionary(sandboxes.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var chrome = DashboardAccountsController.chrome("Account Snapshots", session, notice: notice)
        chrome.onSnapshots = true
        return try DashboardPages.page("snapshots", SnapshotsView(
            page: chrome,
            snapshots: snapshots.map { snapshot in
                SnapshotRow(
                    id: snapshot.id, name: snapshot.name,
                    source: sandboxNames[snapshot.sourceAccountID] ?? "Sandbox \(snapshot.sourceAccountID)",
                    sourceID: snapshot.sourceAccountID, createdAt: AccountRow.readable(snapshot.createdAt), digest: snapshot.digest,
                    contents: Self.contents(snapshot.contents), omitted: snapshot.omittedCount > 0 ? "\(snapshot.omittedCount)" : nil
                )
            },
            sandboxes: sandboxes.map { Choice(value: "\($0.id)", label: "\($0.name) (ID \($0.id))", selected: $0.id == sandboxID) },
            hasSandboxes: !sandboxes.isEmpty, name: name, nameError: nameError, sandboxError: sandboxError, total: total,
            canCompare: snapshots.count >= 2,
            // Newest first: by default the newest against the one before it.
            compareFrom: snapshots.enumerated().map { Choice(value: "\($1.id)", label: "\($1.name) (ID \($1.id))", selected: $0 == 1) },
            compareTo: snapshots.enumerated().map { Choice(value: "\($1.id)", label: "\($1.name) (ID \($1.id))", selected: $0 == 0) }
        ), status: status)
    }

    /// `["tags": 3, "lists": 1]` as `1 lists, 3 tags`, in name order.
    static func contents(_ contents: [String: Int]) -> String {
        let parts = contents.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        return parts.isEmpty ? "empty" : parts.joined(separator: ", ")
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let form = try await DashboardForm.read(request, secret: session.sessionID)
        let chosenSandbox = form.id("sandbox")
        let name = form["name"] ?? ""
        func again(nameError: String? = nil, sandboxError: String? = nil) async throws -> Response {
            try await page(session, sandboxID: chosenSandbox, name: name, nameError: nameError, sandboxError: sandboxError, status: .unprocessableContent)
        }
        guard let sandboxID = chosenSandbox else { return try await again(sandboxError: "Choose the sandbox to take the snapshot of.") }
        let validName: String
        do { validName = try AccountName.validated(name) } catch let error as DomainError { return try await again(nameError: error.message) }
        let includes = SnapshotInclude.allCases.filter { form["include_\($0.rawValue)"] == "on" }
        do {
            _ = try await database.createSnapshot(agencyID: session.agencyID, sandboxID: sandboxID, name: validName, includes: includes)
        } catch let error as DomainError {
            // Not a sandbox of this agency (deleted meanwhile, or a client account): said next to the choice.
            return try await again(sandboxError: error.message)
        }
        return DashboardPages.redirect(to: "/dashboard/snapshots?done=snapshot-created")
    }

    @Sendable func confirmDelete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let snapshot = try await database.snapshot(id: try pathID(context, what: "Snapshot"), agencyID: session.agencyID)
        return try DashboardPages.page("confirm", ConfirmView(
            page: DashboardAccountsController.chrome("Delete snapshot \(snapshot.name)?", session), what: "snapshot", name: snapshot.name,
            action: "/dashboard/snapshots/\(snapshot.id)/delete", cancel: "/dashboard/snapshots",
            consequence: "A deleted snapshot cannot be brought back. Accounts made from it are not affected: they keep working and keep its name and digest."
        ))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        _ = try await DashboardForm.read(request, secret: session.sessionID)
        try await database.deleteSnapshot(id: try pathID(context, what: "Snapshot"), agencyID: session.agencyID)
        return DashboardPages.redirect(to: "/dashboard/snapshots?done=snapshot-deleted")
    }
}
