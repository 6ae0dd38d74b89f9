import AgencyAPI
import ArgumentParser

struct AccountHistory: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "The updates an account received: from which snapshot to which, when, and what they did.",
        discussion: "Example:\n  $ agency account history 12"
    )

    @Argument(help: "The account id.") var id: Int64
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/accounts/\(id)/updates")
        if output.json { return context.write(reply.prettyJSON) }
        let history = try reply.decode(UpdateHistoryBody.self)
        if history.updates.isEmpty { return context.write("Account \(id) has not been updated.") }
        for update in history.updates {
            let counts = ["applied", "kept", "conflicts", "created", "removed"].map { "\(update.counts[$0] ?? 0) \($0)" }.joined(separator: ", ")
            context.write("\(update.created_at)  snapshot \(update.from_snapshot_id) → \(update.to_snapshot_id) (\(update.policy)): \(counts)")
        }
    }
}
