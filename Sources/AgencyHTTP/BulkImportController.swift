import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird

/// v3's bulk import (`/import/bulk_import`, `/import/info`), and on `/contacts/{id}`: erasure and the
/// history of list statuses. The import runs before the reply, so a batch is `completed` as soon as
/// its `batchId` is known; the `callback` is accepted and not called (nothing is left to wait for).
struct BulkImportController {
    let database: AppDatabase
    /// v3's own limit per request.
    static let maxContacts = 250

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("import/bulk_import", use: bulkImport)
        group.get("import/bulk_import", use: statusList)
        group.get("import/info", use: info)
        group.post("contacts/:id/erase", use: erase)
        group.get("contacts/:id/listHistory", use: listHistory)
    }

    @Sendable func bulkImport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let accountID = try context.requireAccount()
        let body = try await request.decodeJSON([String: JSONValue].self, limit: 4 << 20)
        guard let contacts = body["contacts"]?.arrayValue, !contacts.isEmpty else {
            return try Self.refusal("'contacts' is a required field: a list of at least one contact.", reasons: [])
        }
        guard contacts.count <= Self.maxContacts else {
            return try Self.refusal("Up to \(Self.maxContacts) contacts may be sent in one request.", reasons: [])
        }
        // As v3 does, a payload with an invalid contact is refused whole, and nothing is queued.
        var rows: [ContactImportRow] = []
        var reasons: [JSONValue] = []
        for (index, item) in contacts.enumerated() {
            do {
                rows.append(try Self.row(item, position: index + 1))
            } catch let error as DomainError {
                reasons.append(.object(["contact": .number(Double(index)), "failureReason": .string(error.message)]))
            }
        }
        if !reasons.isEmpty {
            return try Self.refusal("JSON payload did not pass validation. Please fix failure Reasons and retry. The import was not queued for processing.", reasons: reasons)
        }
        let summary = try await database.beginContactImport(accountID: accountID, source: .bulkImport)
        // Tags are made when missing, as v3 documents; lists and fields come by id and must exist.
        _ = try await database.importContacts(
            accountID: accountID, importID: summary.id, rows.map { .row($0) }, options: ContactImportOptions(createMissing: true), keepEveryRow: true
        )
        return try JSONReply.make(JSONValue.object([
            "success": .number(1), "queued_contacts": .number(Double(rows.count)), "batchId": .string(summary.batchID),
            "message": .string("Contact import queued"),
        ]))
    }

    /// `{"status": .string("completed"), "success": [contact ids], "failure": [...]}`. v3 lists a refused
    /// contact by its email; this service keeps no personal value of a refused row, so a failure
    /// reads `contacts[N]: reason` (N its position in the request, from 0).
    @Sendable func info(_ request: Request, context: AppRequestContext) async throws -> Response {
        let accountID = try context.requireAccount()
        guard let batchID = request.query("batchId"), !batchID.isEmpty else {
            return try JSONReply.make(JSONValue.object(["success": .number(0), "message": .string("'batchId' is a required field.")]), status: .badRequest)
        }
        let summary = try await database.contactImport(accountID: accountID, batchID: batchID)
        guard summary.source == .bulkImport else { throw DomainError.notFound(what: "Bulk import batch '\(batchID)'") }
        let rows = try await database.contactImportRows(accountID: accountID, importID: summary.id)
        return try JSONReply.make(JSONValue.object([
            "status": .string("completed"),
            "success": .array(rows.compactMap { row in row.contactID.map { .string(String($0)) } }),
            "failure": .array(rows.compactMap { row in row.failure.map { .string("contacts[\(row.line - 1)]: \($0.code): \($0.message)") } }),
        ]))
    }

    /// Daily counts of the last seven days. Nothing is ever outstanding: imports finish before replying.
    @Sendable func statusList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let days = try await database.contactImportsByDay(accountID: try context.requireAccount(), source: .bulkImport)
        return try JSONReply.make(JSONValue.object([
            "outstanding": .array([]),
            "recentlyCompleted": .array(days.map { day in
                .object(["forDate": .string(day.day), "batches": .string(String(day.imports)), "contacts": .string(String(day.rows))])
            }),
        ]))
    }

    @Sendable func erase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let accountID = try context.requireAccount()
        let id = try pathID(context, what: "Contact")
        _ = try await database.eraseContact(accountID: accountID, id: id, by: "account API token")
        return JSONReply.make(bytes: ContactJSON.one(try await database.contact(accountID: accountID, id: id)))
    }

    @Sendable func listHistory(_ request: Request, context: AppRequestContext) async throws -> Response {
        let history = try await database.listHistory(accountID: try context.requireAccount(), contactID: try pathID(context, what: "Contact"))
        return try JSONReply.make(JSONValue.object([
            "listHistory": .array(history.map { change in
                .object(["list": .string(String(change.listID)), "status": .string(String(change.status)), "date": .string(change.changedAt)])
            }),
        ]))
    }

    /// One contact of a bulk_import request as an import row.
    static func row(_ item: JSONValue, position: Int) throws -> ContactImportRow {
        guard let fields = item.objectValue else {
            throw DomainError.invalid(field: "contacts[\(position - 1)]", message: "Each contact is an object.")
        }
        let path = "contacts[\(position - 1)]"
        let text = { (key: String) throws -> String? in try V3Input.text(fields[key], field: "\(path).\(key)").map { $0.trimmingCharacters(in: .whitespaces) } }
        let email = try text("email") ?? ""
        guard EmailAddress.isValid(email) else { throw DomainError.invalid(field: "\(path).email", message: "Field 'email' incorrect format") }
        var row = ContactImportRow(line: position, email: email, firstName: try text("first_name"), lastName: try text("last_name"), phone: try text("phone"))
        for value in [row.firstName, row.lastName, row.phone].compactMap({ $0 }) where ControlCharacters.contains(value) {
            throw ControlCharacters.refusal(field: path)
        }
        row.tags = try (fields["tags"]?.arrayValue ?? []).enumerated().compactMap { index, tag in
            try V3Input.text(tag, field: "\(path).tags[\(index)]")?.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        row.subscribe = try listRefs(fields["subscribe"], path: "\(path).subscribe")
        row.unsubscribe = try listRefs(fields["unsubscribe"], path: "\(path).unsubscribe")
        row.fields = try (fields["fields"]?.arrayValue ?? []).enumerated().map { index, field in
            let id = try V3Input.id(field.objectValue?["id"], field: "\(path).fields[\(index)].id")
            let value = try V3Input.text(field.objectValue?["value"], field: "\(path).fields[\(index)].value") ?? ""
            if ControlCharacters.contains(value) { throw ControlCharacters.refusal(field: "\(path).fields[\(index)].value") }
            return (AssetRef.id(id), value)
        }
        return row
    }

    static func listRefs(_ value: JSONValue?, path: String) throws -> [AssetRef] {
        try (value?.arrayValue ?? []).enumerated().map { index, item in
            .id(try V3Input.id(item.objectValue?["listid"], field: "\(path)[\(index)].listid"))
        }
    }

    /// v3's 400: `{"success": 0, "message": …, "failureReasons": […]}`.
    static func refusal(_ message: String, reasons: [JSONValue]) throws -> Response {
        try JSONReply.make(JSONValue.object(["success": .number(0), "message": .string(message), "failureReasons": .array(reasons)]), status: .badRequest)
    }
}
