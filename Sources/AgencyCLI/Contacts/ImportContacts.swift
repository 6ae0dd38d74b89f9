import AgencyAPI
import AgencyDomain
import ArgumentParser
import Foundation

struct ImportContacts: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import contacts from a CSV file: new ones are created, existing ones (same email) updated.",
        discussion: """
            The first line names the columns: email (required), first_name, last_name, phone, tags, lists, unsubscribed_lists, and custom fields by their titles. Several tags or lists in one cell are separated by |. Tags, lists and fields are matched by name; a name the account lacks is created with --create-missing, and otherwise its row is refused. Each row goes in whole or not at all; refused rows are listed with their line, and the command then exits non-zero.

            The file is sent in parts of 5,000 rows, one import throughout, with progress after each part.

            Examples:
              $ agency contacts import 14 contacts.csv
              $ agency contacts import 14 a.csv --map-tag Kunde=Customer --create-missing
            """
    )

    @Argument(help: "The account id.") var id: Int64
    @Argument(help: "The CSV file (UTF-8).") var file: String
    @Option(name: .customLong("map-tag"), help: "Rename a tag on the way in: OLD=NEW (repeatable).") var mapTag: [String] = []
    @Flag(name: .customLong("create-missing"), help: "Create tags, lists and fields the account does not have yet.") var createMissing = false
    @Flag(name: .customLong("readmit-erased"), help: "Let addresses of erased contacts come back as new contacts.") var readmitErased = false
    @Option(name: .customLong("rows-per-request"), help: "Rows sent per request.") var rowsPerRequest = 5_000
    @OptionGroup var service: ServiceOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        for rename in mapTag { _ = try ContactImportOptions.tagRename(rename) }
        var query = mapTag.map { "map_tag=" + ($0.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? $0) }
        if createMissing { query.append("create_missing=true") }
        if readmitErased { query.append("readmit_erased=true") }
        guard rowsPerRequest > 0 else { throw CLIError("--rows-per-request must be 1 or more.") }
        guard let handle = FileHandle(forReadingAtPath: file) else { throw CLIError("Cannot read '\(file)'.") }
        defer { try? handle.close() }

        let client = try service.client(context).naming(FieldOptions(["map_tag": "--map-tag"]))
        var parts = CSVParts(recordsPerPart: rowsPerRequest)
        var importID: Int64?
        var totals = ImportCountsBody(rows: 0, created: 0, updated: 0, failed: 0)
        var failures: [ImportFailureBody] = []
        func send(_ part: CSVParts.Part) async throws {
            var partQuery = query + ["line_offset=\(part.lineOffset)"]
            if let importID { partQuery.append("import_id=\(importID)") }
            let reply = try await client.send(
                "POST", "/v1/accounts/\(id)/contacts/import?" + partQuery.joined(separator: "&"), data: Data(part.bytes),
                headers: ["Content-Type": "text/csv; charset=utf-8"]
            ).decode(ContactImportReply.self)
            importID = reply.import_id
            totals = reply.totals
            failures += reply.failures
            if !output.json {
                context.write("\(totals.rows) \(totals.rows == 1 ? "row" : "rows"): \(totals.created) created, \(totals.updated) updated, \(totals.failed) refused")
            }
        }
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            for part in parts.feed(chunk) { try await send(part) }
        }
        for part in parts.finish() { try await send(part) }
        guard let importID else { throw CLIError("'\(file)' is empty: its first line must name the columns, one of them 'email'.") }

        if output.json {
            context.write(try await client.send("GET", "/v1/accounts/\(id)/contacts/imports/\(importID)").prettyJSON)
        } else {
            for failure in failures { context.write("  line \(failure.line): \(failure.code): \(failure.message)") }
            context.write("Import \(importID) into account \(id): \(totals.created) created, \(totals.updated) updated, \(totals.failed) refused.")
        }
        if totals.failed > 0 { throw CLIError("\(totals.failed) of \(totals.rows) rows were refused (listed above); the others went in.") }
    }
}

extension CharacterSet {
    /// What a query value may hold unescaped: `&`, `=` and `+` would change its meaning.
    static let urlQueryValueAllowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))
}
