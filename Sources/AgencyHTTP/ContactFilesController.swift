import AgencyAPI
import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird

/// An account's contacts as files, on the agency API: CSV import (streamed: the body is read as it
/// arrives and written a batch at a time), CSV export (streamed a page at a time), erasure by email.
struct ContactFilesController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("accounts/:id/contacts/import", use: importCSV)
        group.get("accounts/:id/contacts/imports/:import", use: showImport)
        group.get("accounts/:id/contacts/export", use: exportCSV)
        group.post("accounts/:id/contacts/erase", use: erase)
    }

    /// Query: `map_tag=OLD=NEW` (repeatable), `create_missing`, `readmit_erased`; `import_id` and
    /// `line_offset` to send one file in several parts, each with the header first.
    @Sendable func importCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let accountID = try await ownedAccount(context)
        var renames: [String: String] = [:]
        for (key, value) in request.uri.queryParameters where key == "map_tag" {
            let (old, new) = try ContactImportOptions.tagRename(String(value))
            renames[old] = new
        }
        let options = ContactImportOptions(
            tagRenames: renames, createMissing: try flag(request, "create_missing"), readmitErased: try flag(request, "readmit_erased")
        )
        let lineOffset = try request.query("line_offset").map { text in
            guard let offset = Int(text), (0...1_000_000_000).contains(offset) else {
                throw DomainError.invalid(field: "line_offset", message: "'line_offset' is a number of lines, from 0 to 1000000000.")
            }
            return offset
        } ?? 0
        let summary = if let importID = try request.query("import_id").map({ try Self.id($0, field: "import_id") }) {
            try await database.contactImport(accountID: accountID, id: importID)
        } else {
            try await database.beginContactImport(accountID: accountID, source: .csv)
        }
        var session = ContactCSVImport(database: database, accountID: accountID, importID: summary.id, options: options, lineOffset: lineOffset)
        for try await buffer in request.body {
            try await session.feed(buffer.readableBytesView)
        }
        let report = try await session.finish()
        let totals = try await database.contactImport(accountID: accountID, id: summary.id)
        return try JSONReply.make(ContactImportReply(
            import_id: summary.id, batch_id: summary.batchID, rows: report.rows, created: report.created, updated: report.updated,
            failed: report.failed, failures: report.failures.map(Self.failureBody), totals: Self.counts(totals)
        ))
    }

    @Sendable func showImport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let accountID = try await ownedAccount(context)
        let importID = try pathID(context, "import", what: "Import")
        let summary = try await database.contactImport(accountID: accountID, id: importID)
        let failures = try await database.contactImportRows(accountID: accountID, importID: importID).filter { $0.failure != nil }
        return try JSONReply.make(ContactImportBody(
            import_id: summary.id, batch_id: summary.batchID, source: summary.source.rawValue, totals: Self.counts(summary),
            failures: failures.map(Self.failureBody), created_at: summary.createdAt, updated_at: summary.updatedAt
        ))
    }

    /// The whole export as one streamed reply, a page of contacts at a time.
    @Sendable func exportCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let accountID = try await ownedAccount(context)
        let database = self.database
        let first = try await database.exportContacts(accountID: accountID)
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"contacts-\(accountID).csv\""
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(bytes: first.csv))
            var after = first.nextAfter
            while let next = after {
                let page = try await database.exportContacts(accountID: accountID, after: next, header: false)
                try await writer.write(ByteBuffer(bytes: page.csv))
                after = page.nextAfter
            }
            try await writer.finish(nil)
        })
    }

    @Sendable func erase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let accountID = try await ownedAccount(context)
        let body = try await request.decodeJSON(EraseContactRequest.self)
        guard let email = body.email?.trimmingCharacters(in: .whitespaces), !email.isEmpty else {
            throw DomainError.invalid(field: "email", message: "'email' names the contact to erase.")
        }
        let record = try await database.eraseContact(accountID: accountID, email: email, by: "agency \(try context.requireAgency())")
        return try JSONReply.make(ContactErasureBody(account_id: accountID, contact_id: record.contactID, erased_at: record.erasedAt, erased_by: record.erasedBy))
    }

    /// The path's account, when it belongs to the calling agency (another agency's is not found).
    func ownedAccount(_ context: AppRequestContext) async throws -> Int64 {
        try await database.account(id: try pathID(context, what: "Account"), agencyID: try context.requireAgency()).id
    }

    func flag(_ request: Request, _ name: String) throws -> Bool {
        switch request.query(name)?.lowercased() {
        case nil, "false", "0": return false
        case "", "true", "1": return true
        default: throw DomainError.invalid(field: name, message: "'\(name)' is true or false.")
        }
    }

    static func id(_ text: String, field: String) throws -> Int64 {
        guard let id = Int64(text), id > 0 else { throw DomainError.invalid(field: field, message: "'\(field)' must be an id.") }
        return id
    }

    static func failureBody(_ outcome: ContactImportOutcome) -> ImportFailureBody {
        ImportFailureBody(line: outcome.line, code: outcome.failure?.code ?? "", message: outcome.failure?.message ?? "")
    }

    static func counts(_ summary: ContactImportSummary) -> ImportCountsBody {
        ImportCountsBody(rows: summary.rows, created: summary.created, updated: summary.updated, failed: summary.failed)
    }
}
