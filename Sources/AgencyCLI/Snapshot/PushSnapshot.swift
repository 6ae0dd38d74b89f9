import AgencyAPI
import ArgumentParser
import Foundation

struct PushSnapshot: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Update client accounts made from earlier snapshots of the same sandbox to this one.",
        discussion: """
            Each account is merged on its own (see `agency account update`): one failing does not stop the others. Without --accounts, every account whose base is an earlier snapshot of this snapshot's sandbox is updated. Progress prints as accounts are done.

            Example:
              $ agency snapshot push 4 --dry-run
              $ agency snapshot push 4 --accounts 12,13
            """
    )

    @Argument(help: "The snapshot to push.") var id: Int64
    @Option(help: "Comma-separated account ids (default: every account behind this snapshot).") var accounts: String?
    @Flag(help: "Show what would change without changing anything.") var dryRun = false
    @Option(help: "Who wins a field both sides changed: keep_client or take_snapshot.") var policy = "keep_client"
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    /// Accounts go to the service a few at a time, so that a long push shows progress.
    static let batchSize = 10

    func run(in context: CLIContext) async throws {
        let client = try service.client(context).naming(FieldOptions(["policy": "--policy", "accounts": "--accounts"]))
        let chosen = try await accountIDs(client)
        var results: [PushAccountBody] = []
        for start in stride(from: 0, to: chosen.count, by: Self.batchSize) {
            let batch = Array(chosen[start..<min(start + Self.batchSize, chosen.count)])
            let reply = try await client.send("POST", "/v1/snapshots/\(id)/push", json: PushRequest(accounts: batch, dry_run: dryRun, policy: policy))
            let push = try reply.decode(PushReply.self)
            for account in push.accounts {
                results.append(account)
                if !output.json { context.write("[\(results.count)/\(chosen.count)] " + Self.line(account)) }
            }
        }
        let summary = PushReply(snapshot_id: id, dry_run: dryRun, accounts: results)
        if output.json {
            context.write(try ServiceClient.Reply(status: 200, body: JSONEncoder().encode(summary)).prettyJSON)
        } else {
            let counts = summary.counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            context.write(Self.summaryLine(snapshot: id, accounts: chosen.count, counts: counts, dryRun: dryRun))
        }
        if summary.counts["failed", default: 0] > 0 { throw CLIError("Some accounts were not updated; see above.") }
    }

    func accountIDs(_ client: ServiceClient) async throws -> [Int64] {
        guard let accounts else {
            return try await client.send("GET", "/v1/snapshots/\(id)/behind").decode(BehindReply.self).accounts
        }
        return try accounts.split(separator: ",").map {
            guard let id = Int64($0.trimmingCharacters(in: .whitespaces)), id > 0 else { throw CLIError("--accounts takes account ids separated by commas, not '\(accounts)'.") }
            return id
        }
    }

    /// The last line: a dry run says it previewed and changed nothing, never that it pushed.
    static func summaryLine(snapshot: Int64, accounts: Int, counts: String, dryRun: Bool) -> String {
        if accounts == 0 { return "No account is behind snapshot \(snapshot)." }
        if dryRun { return "Previewed a push of snapshot \(snapshot) to \(accounts) account(s): \(counts); nothing was changed." }
        return "Pushed snapshot \(snapshot) to \(accounts) account(s): \(counts)."
    }

    static func line(_ account: PushAccountBody) -> String {
        if let report = account.report { return "account \(account.account_id): \(account.status) (\(UpdateOutput.counts(report)))" }
        return "account \(account.account_id): \(account.status)" + (account.error.map { ": \($0.message)" } ?? "")
    }
}
