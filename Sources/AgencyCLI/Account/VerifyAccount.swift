import AgencyAPI
import ArgumentParser

struct VerifyAccount: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that every reference in an account lands, and that it still equals its snapshot.",
        discussion: "Exits non-zero when a reference dangles or the account differs from its snapshot.\n\nExample:\n  $ agency account verify 12"
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
            switch (check.equals_snapshot.value, check.source.value) {
            case (true?, let source): context.write("Equals snapshot \(source.map { "\($0.snapshot_id)" } ?? "?").")
            case (false?, _): context.write("Differs from its snapshot:")
            case (nil, nil): context.write("Not made from a snapshot.")
            case (nil, _?): context.write("Its snapshot has been deleted; nothing to compare with.")
            }
            check.differences.forEach { context.write("  " + $0) }
        }
        if !check.ok { throw CLIError("Account \(id) did not verify.") }
    }
}
