import AgencyAPI
import ArgumentParser

struct VerifySnapshot: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute a snapshot's digest from what is stored; exits non-zero if it differs.",
        discussion: "Example:\n  $ agency snapshot verify 3"
    )

    @Argument(help: "The snapshot id.") var id: Int64
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("POST", "/v1/snapshots/\(id)/verify")
        let check = try reply.decode(SnapshotCheckBody.self)
        if output.json {
            context.write(reply.prettyJSON)
        } else {
            context.write(check.ok ? "Snapshot \(id) is intact: \(check.digest)." : "Snapshot \(id) does not match its digest:")
            check.problems.forEach { context.write("  " + $0) }
        }
        if !check.ok { throw CLIError("Snapshot \(id) did not verify.") }
    }
}
