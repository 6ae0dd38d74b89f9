import AgencyAPI
import AgencyDomain
import ArgumentParser

struct ShowDrift: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "What the client changed since the account's base snapshot: edited, added and deleted assets.",
        discussion: "Example:\n  $ agency account drift 12"
    )

    @Argument(help: "The account id.") var id: Int64
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/accounts/\(id)/drift")
        if output.json { return context.write(reply.prettyJSON) }
        let drift = try reply.decode(DriftBody.self)
        guard let base = drift.base_snapshot_id.value else { return context.write("Account \(id) was not made from a snapshot.") }
        context.write("Account \(id) since snapshot \(base): \(drift.edited.count) edited, \(drift.added.count) added, \(drift.deleted.count) deleted.")
        for asset in drift.edited {
            context.write("  edited  \(asset.kind) \(asset.id) \"\(asset.name)\"")
            for change in asset.changes {
                context.write("    \(change.pointer.isEmpty ? "/" : change.pointer): \(Self.show(change.base)) → \(Self.show(change.current))")
            }
        }
        drift.added.forEach { context.write("  added   \($0.kind) \($0.id) \"\($0.name)\"") }
        drift.deleted.forEach { context.write("  deleted \($0.kind) \($0.id) \"\($0.name)\" (the sandbox's id)") }
    }

    /// A value in one short line: JSON, cut at 60 characters.
    static func show(_ value: JSONValue?) -> String {
        guard let value else { return "(none)" }
        let text = value.canonicalText()
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }
}
