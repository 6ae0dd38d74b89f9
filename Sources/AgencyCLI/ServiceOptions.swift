import ArgumentParser

/// Where the service is: a flag, else `AGENCY_URL`, else the local default.
struct ServiceURLOption: ParsableArguments {
    @Option(name: .customLong("url"), help: "The service's base URL (default: $AGENCY_URL, else http://127.0.0.1:8080).")
    var url: String?

    func baseURL(_ context: CLIContext) -> String {
        url ?? context.environment["AGENCY_URL"] ?? "http://127.0.0.1:8080"
    }
}

/// How an agency command reaches the service: its URL and the agency token (`AGENCY_TOKEN`).
struct ServiceOptions: ParsableArguments {
    @OptionGroup var service: ServiceURLOption

    @Option(name: .customLong("token"), help: "The agency API token (default: $AGENCY_TOKEN).")
    var token: String?

    func client(_ context: CLIContext) throws -> ServiceClient {
        let token = token ?? context.environment["AGENCY_TOKEN"] ?? ""
        guard !token.isEmpty else {
            throw CLIError("No agency token: pass --token or set AGENCY_TOKEN (an operator makes one with `agency agencies create NAME`).")
        }
        return ServiceClient(baseURL: service.baseURL(context), token: token, transport: context.transport)
    }
}

/// `--json`: print the service's reply instead of lines for people.
struct OutputOptions: ParsableArguments {
    @Flag(name: .customLong("json"), help: "Print the service's JSON reply, for scripts.")
    var json = false
}

/// Where the operator commands find the database file.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database"), help: "SQLite database file (default: $AGENCY_DATABASE, else ./agency.sqlite).")
    var path: String?

    func resolvedPath(_ context: CLIContext) -> String {
        path ?? context.environment["AGENCY_DATABASE"] ?? "agency.sqlite"
    }
}

/// `--yes` for destructive commands: asked on a terminal, required in scripts.
struct ConfirmationOption: ParsableArguments {
    @Flag(name: .customLong("yes"), help: "Do not ask for confirmation (for scripts).")
    var yes = false

    /// Asks `question` on a terminal unless `--yes` was given; refuses when neither is possible.
    func confirm(_ question: String, in context: CLIContext) throws {
        if yes { return }
        guard let ask = context.confirm else {
            throw CLIError("This cannot be undone, so it needs confirmation: run it on a terminal, or pass --yes in a script.")
        }
        guard ask(question) else { throw CLIError("Nothing was deleted.") }
    }

    /// Deletes `path` once confirmed; `describe` reads what is about to go, to name it in the question.
    func delete(_ path: String, with client: ServiceClient, in context: CLIContext, question describe: () async throws -> String) async throws {
        if !yes { try confirm(try await describe(), in: context) }
        _ = try await client.send("DELETE", path)
    }
}

/// `--limit` and `--offset` of a list command, as the agency API takes them.
struct PageOptions: ParsableArguments {
    @Option(help: "How many to show (1...100).") var limit = 20
    @Option(help: "How many to skip.") var offset = 0

    var query: String { "?limit=\(limit)&offset=\(offset)" }
}
