import AgencyAPI
import ArgumentParser

/// The settings `connection create` and `connection update` share; each one left out is not sent.
struct ConnectionSettings: ParsableArguments {
    @Option(help: "The connection's name.") var name: String?
    @Option(help: "two_way or outbound.") var direction: String?
    @Option(name: .customLong("base-url"), help: "Brevo's API base URL (default https://api.brevo.com).") var baseURL: String?
    @Option(name: .customLong("webhook-url"), help: "The webhook receiver's URL (webhook provider).") var url: String?
    @Option(name: .customLong("list"), help: "ACCOUNT_LIST=REMOTE_LIST, once per list (e.g. --list 2=17).") var lists: [String] = []
    @Option(name: .customLong("field"), help: "FIELD=ATTRIBUTE, once per field; FIELD is first_name, last_name, phone or a custom field id.") var fields: [String] = []
    @Option(name: .customLong("interval"), help: "Minutes between automatic full syncs (0: only when asked).") var intervalMinutes: Int?
    @Option(name: .customLong("budget"), help: "API calls allowed per UTC day.") var dailyBudget: Int?
    @Option(name: .customLong("api-key"), help: "Brevo API key (better: $AGENCY_CONNECTION_API_KEY, which stays out of shell history).") var apiKey: String?
    @Option(help: "Webhook signing secret (better: $AGENCY_CONNECTION_SECRET).") var secret: String?

    /// The options and environment variables that supply a connection request's fields.
    static let fieldOptions = FieldOptions([
        "name": "--name", "provider": "--provider", "direction": "--direction", "base_url": "--base-url", "url": "--webhook-url",
        "lists": "--list", "fields": "--field", "interval_minutes": "--interval", "daily_budget": "--budget",
        "credentials.api_key": "--api-key (or $AGENCY_CONNECTION_API_KEY)", "credentials.secret": "--secret (or $AGENCY_CONNECTION_SECRET)",
        "credentials": "--api-key or --secret (or $AGENCY_CONNECTION_API_KEY, $AGENCY_CONNECTION_SECRET)",
    ])

    /// The request, with credentials from the options or the environment.
    func request(provider: String?, enabled: Bool?, in context: CLIContext) throws -> ConnectionRequest {
        let apiKey = apiKey ?? context.environment["AGENCY_CONNECTION_API_KEY"]
        let secret = secret ?? context.environment["AGENCY_CONNECTION_SECRET"]
        return ConnectionRequest(
            name: name, provider: provider, direction: direction, base_url: baseURL, url: url,
            credentials: apiKey == nil && secret == nil ? nil : ConnectionCredentialsBody(api_key: apiKey, secret: secret),
            lists: lists.isEmpty ? nil : try lists.map { pair in
                let (local, remote) = try Self.split(pair, option: "--list")
                guard let id = Int64(local), id > 0 else { throw CLIError("--list takes ACCOUNT_LIST=REMOTE_LIST with a list id before '='; got '\(pair)'.") }
                return ListPairBody(list_id: id, remote_list: remote)
            },
            fields: fields.isEmpty ? nil : try fields.map { pair in
                let (field, attribute) = try Self.split(pair, option: "--field")
                return FieldPairBody(field: field, attribute: attribute)
            },
            interval_minutes: intervalMinutes, daily_budget: dailyBudget, enabled: enabled
        )
    }

    static func split(_ pair: String, option: String) throws -> (String, String) {
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw CLIError("\(option) takes A=B; got '\(pair)'.") }
        return (parts[0], parts[1])
    }
}

/// How connections print for people.
enum ConnectionOutput {
    static func summary(_ connection: ConnectionBody) -> String {
        let state = connection.enabled ? "enabled" : (connection.has_credentials ? "disabled" : "disabled, needs credentials")
        return "connection \(connection.id) '\(connection.name)' (\(connection.provider), \(connection.direction), \(state))"
    }

    static func details(_ connection: ConnectionBody) -> [String] {
        var lines = [summary(connection)]
        lines.append("  endpoint: \(connection.base_url ?? connection.url ?? "")")
        lines.append("  lists: " + connection.lists.map { "\($0.list_id.value) → \($0.remote_list.value)" }.joined(separator: ", "))
        lines.append("  fields: " + (connection.fields.isEmpty ? "none" : connection.fields.map { "\($0.field) → \($0.attribute)" }.joined(separator: ", ")))
        lines.append("  every \(connection.interval_minutes) min; \(connection.calls_today) of \(connection.daily_budget) API calls used today; \(connection.pending_changes) changes waiting")
        if let url = connection.inbound_url { lines.append("  inbound events: POST \(url)") }
        if let secret = connection.inbound_secret { lines.append("  inbound secret (shown once): \(secret)") }
        if let error = connection.last_error.value { lines.append("  last error: \(error)") }
        if let until = connection.paused_until.value { lines.append("  paused until: \(until)") }
        return lines
    }

    static func run(_ run: SyncRunBody) -> String {
        "sync \(run.id): \(run.contacts) contacts, \(run.sent) sent, \(run.updated) updated, \(run.unchanged) unchanged, \(run.failed) failed, "
            + "\(run.deferred) deferred, \(run.calls) API calls"
    }
}
