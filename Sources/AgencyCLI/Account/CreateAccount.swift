import AgencyAPI
import ArgumentParser

struct CreateAccount: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a client account, blank or from a snapshot, and print its login credentials once.",
        discussion: """
            With --snapshot, every asset of the snapshot is copied in one transaction; automations arrive inactive and campaigns as drafts unless asked otherwise. Pass --idempotency-key to make a retry safe: the same key and request print the first account again instead of making a second.

            Example:
              $ agency account create "Acme Gym" --snapshot 3 --idempotency-key acme
            """
    )

    @Argument(help: "The account's name.") var name: String
    @Option(help: "trial or paid.") var kind = "trial"
    @Option(help: "The snapshot to make the account from.") var snapshot: Int64?
    @Option(help: "A key of your choosing that makes retries of this request safe.") var idempotencyKey: String?
    @Flag(help: "Keep automations active as they were in the sandbox.") var activateAutomations = false
    @Flag(help: "Keep campaigns' status as it was in the sandbox.") var activateCampaigns = false
    @Option(help: "One of the agency's verified domains: the client signs in there, under the agency's branding.") var domain: String?
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    static let fieldOptions = FieldOptions(["kind": "--kind", "snapshot_id": "--snapshot", "Idempotency-Key": "--idempotency-key"])

    /// Checked in `run` rather than `validate`, so that the mistake prints as one line without the usage.
    func checkKind() throws {
        if kind == "sandbox" {
            throw CLIError("A sandbox is not made from a snapshot: use `agency sandbox create NAME`. --kind is trial or paid.")
        }
        guard ["trial", "paid"].contains(kind) else { throw CLIError("--kind is trial or paid, not '\(kind)'.") }
    }

    func run(in context: CLIContext) async throws {
        try checkKind()
        let request = AccountRequest(
            name: name, kind: kind, snapshot_id: snapshot,
            activate_automations: snapshot == nil ? nil : activateAutomations, activate_campaigns: snapshot == nil ? nil : activateCampaigns,
            domain: domain
        )
        let headers = idempotencyKey.map { ["Idempotency-Key": $0] } ?? [:]
        let reply = try await service.client(context).naming(Self.fieldOptions).send("POST", "/v1/accounts", json: request, headers: headers)
        if output.json { return context.write(reply.prettyJSON) }
        let account = try reply.decode(AccountBody.self)
        if reply.isIdempotentReplay {
            // The service answered with the account an earlier request made: saying "Created" would
            // read as a second account.
            context.write(
                "Already made by an earlier request with idempotency key '\(idempotencyKey ?? "")': "
                    + AccountOutput.summary(account) + AccountOutput.origin(account) + ". Nothing new was created."
            )
        } else {
            context.write("Created " + AccountOutput.summary(account) + AccountOutput.origin(account))
        }
        AccountOutput.credentials(account, replayed: reply.isIdempotentReplay).forEach(context.write)
    }
}
