import ArgumentParser

/// How a command reaches the service: flags first, then `AGENCY_URL` / `AGENCY_TOKEN`.
struct ServiceOptions: ParsableArguments {
    @Option(name: .customLong("url"), help: "The service's base URL (default: $AGENCY_URL, else http://127.0.0.1:8080).")
    var url: String?

    @Option(name: .customLong("token"), help: "The agency API token (default: $AGENCY_TOKEN).")
    var token: String?

    @Flag(name: .customLong("json"), help: "Print the service's JSON reply, for scripts.")
    var json = false

    func client(_ context: CLIContext, needsToken: Bool = true) throws -> ServiceClient {
        let token = token ?? context.environment["AGENCY_TOKEN"]
        if needsToken, (token ?? "").isEmpty {
            throw CLIError("No agency token: pass --token or set AGENCY_TOKEN (an operator makes one with `agency agencies create NAME`).")
        }
        return ServiceClient(
            baseURL: url ?? context.environment["AGENCY_URL"] ?? "http://127.0.0.1:8080",
            token: token, transport: context.transport
        )
    }
}

/// Where the operator commands find the database file.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database"), help: "SQLite database file (default: $AGENCY_DATABASE, else ./agency.sqlite).")
    var path: String?

    func resolvedPath(_ context: CLIContext) -> String {
        path ?? context.environment["AGENCY_DATABASE"] ?? "agency.sqlite"
    }
}
