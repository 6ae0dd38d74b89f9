import AgencyAPI
import ArgumentParser

struct DiffSnapshots: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "How snapshot B differs from snapshot A: assets added, removed and changed, field by field.",
        discussion: "Example:\n  $ agency snapshot diff 3 4"
    )

    @Argument(help: "The earlier snapshot.") var from: Int64
    @Argument(help: "The later snapshot.") var to: Int64
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/snapshots/\(from)/diff/\(to)")
        if output.json { return context.write(reply.prettyJSON) }
        let diff = try reply.decode(SnapshotDiffBody.self)
        let total = diff.counts.values.reduce(into: (0, 0, 0, 0)) { sum, counts in
            sum = (sum.0 + counts.added, sum.1 + counts.removed, sum.2 + counts.changed, sum.3 + counts.unchanged)
        }
        context.write("Snapshot \(from) → \(to): \(total.0) added, \(total.1) removed, \(total.2) changed, \(total.3) unchanged.")
        for entry in diff.assets {
            context.write("  \(entry.status.padding(toLength: 8, withPad: " ", startingAt: 0)) \(entry.kind) \(entry.id) \"\(entry.name)\"")
            for change in entry.changes {
                context.write("    \(change.pointer.isEmpty ? "/" : change.pointer): \(ShowDrift.show(change.old)) → \(ShowDrift.show(change.new))")
            }
        }
    }
}
