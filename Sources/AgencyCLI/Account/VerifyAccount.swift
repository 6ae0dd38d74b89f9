import AgencyAPI
import ArgumentParser

struct VerifyAccount: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that every reference in an account lands, and list what the client changed since its snapshot.",
        discussion: "Exits non-zero when a reference dangles. The client's own changes are listed as drift (see `agency account drift`), not as a failure.\n\nExample:\n  $ agency account verify 12"
    )

    @Argument(help: "The account id.") var id: Int64
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/accounts/\(id)/verify")
        let check = try reply.decode(AccountCheckBody.self)
        if output.json {
            context.write(reply.prettyJSON)
        } else {
            let intact = check.references_intact ? "none dangling." : "some dangling:"
            context.write("Account \(id): \(check.assets_checked) assets, \(check.references_checked) references, \(intact)")
            check.dangling.forEach { context.write("  " + $0) }
            if let source = check.source.value {
                let gone = check.snapshot_exists ? "" : " (since deleted; the account keeps its base)"
                if check.equals_snapshot.value == true {
                    context.write("Equals snapshot \(source.snapshot_id)\(gone).")
                } else {
                    context.write("Changed by the client since snapshot \(source.snapshot_id)\(gone), which is drift, not damage:")
                }
            } else {
                context.write("Not made from a snapshot.")
            }
            check.differences.forEach { context.write("  " + $0) }
        }
        if !check.ok { throw CLIError("Account \(id) did not verify.") }
    }
}
