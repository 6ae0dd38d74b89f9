import AgencyAPI
import ArgumentParser

struct UpdateAccount: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Merge a newer snapshot of the account's sandbox into it, keeping what the client changed.",
        discussion: """
            A three-way merge per field: what only the snapshot changed is applied, what only the client changed is kept, and a field both changed is a conflict that --policy settles (keep_client by default). New assets arrive with their references mapped to the account's ids; automations inactive, campaigns as drafts. --dry-run prints the same report and changes nothing.

            Example:
              $ agency account update 12 --snapshot 4 --dry-run
              $ agency account update 12 --snapshot 4
            """
    )

    @Argument(help: "The account id.") var id: Int64
    @Option(help: "The snapshot to update to: a later snapshot of the account's sandbox.") var snapshot: Int64
    @Flag(help: "Show what would change without changing anything.") var dryRun = false
    @Option(help: "Who wins a field both sides changed: keep_client or take_snapshot.") var policy = "keep_client"
    @Option(help: "Only these kinds, comma-separated (e.g. templates,automations).") var kinds: String?
    @Option(help: "A key of your choosing that makes retries of this request safe.") var idempotencyKey: String?
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    static let fieldOptions = FieldOptions(["snapshot_id": "--snapshot", "policy": "--policy", "kinds": "--kinds", "Idempotency-Key": "--idempotency-key"])

    func run(in context: CLIContext) async throws {
        let request = UpdateRequest(
            snapshot_id: snapshot, dry_run: dryRun, policy: policy,
            kinds: kinds.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        )
        let headers = idempotencyKey.map { ["Idempotency-Key": $0] } ?? [:]
        let reply = try await service.client(context).naming(Self.fieldOptions).send("POST", "/v1/accounts/\(id)/updates", json: request, headers: headers)
        if output.json { return context.write(reply.prettyJSON) }
        let report = try reply.decode(UpdateReportBody.self)
        let verb = report.dry_run ? "Would update" : "Updated"
        if report.from_snapshot_id == report.to_snapshot_id {
            return context.write("Account \(id) is already at snapshot \(report.to_snapshot_id); nothing to do.")
        }
        context.write("\(verb) account \(id) from snapshot \(report.from_snapshot_id) to \(report.to_snapshot_id): \(UpdateOutput.counts(report)).")
        UpdateOutput.lines(report).forEach(context.write)
        if report.base_snapshot_id != report.to_snapshot_id {
            context.write("The account's base stays at snapshot \(report.base_snapshot_id): the rest of the change is still to come.")
        }
    }
}
