import AgencyAPI
import AgencyDomain
import AgencyStorage
import Hummingbird

/// `/v1/snapshots`: immutable copies of sandboxes. They are created, read, verified and deleted;
/// never edited.
struct SnapshotsController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("snapshots", use: create)
        group.get("snapshots", use: list)
        group.get("snapshots/:id", use: show)
        group.delete("snapshots/:id", use: delete)
        group.put("snapshots/:id", use: refuseEdit)
        group.patch("snapshots/:id", use: refuseEdit)
        group.post("snapshots/:id/verify", use: verify)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(SnapshotRequest.self)
        guard let sandboxID = body.sandbox_id?.value else {
            throw DomainError.invalid(field: "sandbox_id", message: "'sandbox_id' is required: the sandbox to take the snapshot of.")
        }
        let agencyID = try context.requireAgency()
        let name = try AccountName.validated(body.name)
        let includes = try SnapshotInclude.parse(body.include ?? [])
        let snapshot = try await ServiceMetrics.timed(ServiceMetrics.snapshotDuration) {
            try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: name, includes: includes)
        }
        return try JSONReply.make(SnapshotBody(snapshot), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try Page(request)
        let query = SnapshotQuery(name: request.query("name"), sandboxID: try request.query("sandbox_id").map(Self.sandboxFilter), page: page)
        let (snapshots, total) = try await database.snapshots(agencyID: try context.requireAgency(), query: query)
        return try JSONReply.make(SnapshotList(snapshots: snapshots.map { SnapshotBody($0, withManifest: false) }, meta: ListMeta(total: total, page: page)))
    }

    /// `?sandbox_id=` names a sandbox; anything else is a mistake worth saying, not a filter to drop.
    static func sandboxFilter(_ text: String) throws -> Int64 {
        guard let id = Int64(text), id > 0 else {
            throw DomainError.invalid(field: "sandbox_id", message: "'sandbox_id' must be a sandbox's id, a positive whole number.")
        }
        return id
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let snapshot = try await database.snapshot(id: try pathID(context, what: "Snapshot"), agencyID: try context.requireAgency())
        return try JSONReply.make(SnapshotBody(snapshot))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await database.deleteSnapshot(id: try pathID(context, what: "Snapshot"), agencyID: try context.requireAgency())
        return Response(status: .noContent)
    }

    @Sendable func refuseEdit(_ request: Request, context: AppRequestContext) async throws -> Response {
        throw DomainError.notAllowed(
            code: "snapshot_immutable", message: "A snapshot cannot be changed. Edit the sandbox and take a new snapshot instead.",
            allowed: ["DELETE", "GET"]
        )
    }

    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> Response {
        let check = try await database.verifySnapshot(id: try pathID(context, what: "Snapshot"), agencyID: try context.requireAgency())
        return try JSONReply.make(SnapshotCheckBody(
            snapshot_id: check.snapshotID, ok: check.ok, digest: check.expectedDigest,
            recomputed_digest: check.actualDigest, problems: check.problems
        ))
    }
}
