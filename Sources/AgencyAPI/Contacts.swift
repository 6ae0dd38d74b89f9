import AgencyDomain

/// One refused row of an import.
public struct ImportFailureBody: Codable, Sendable, Equatable {
    public var line: Int
    public var code: String
    public var message: String

    public init(line: Int, code: String, message: String) {
        self.line = line
        self.code = code
        self.message = message
    }
}

/// Counts of rows.
public struct ImportCountsBody: Codable, Sendable, Equatable {
    public var rows: Int
    public var created: Int
    public var updated: Int
    public var failed: Int

    public init(rows: Int, created: Int, updated: Int, failed: Int) {
        self.rows = rows
        self.created = created
        self.updated = updated
        self.failed = failed
    }
}

/// `POST /v1/accounts/{id}/contacts/import`: what this request's rows did, and the import's totals
/// (a file may come in several requests with the same `import_id`).
public struct ContactImportReply: Codable, Sendable {
    public var import_id: Int64
    public var batch_id: String
    public var rows: Int
    public var created: Int
    public var updated: Int
    public var failed: Int
    /// The first 1,000 refusals of this request; `GET …/contacts/imports/{import_id}` lists them all.
    public var failures: [ImportFailureBody]
    public var totals: ImportCountsBody

    public init(import_id: Int64, batch_id: String, rows: Int, created: Int, updated: Int, failed: Int, failures: [ImportFailureBody], totals: ImportCountsBody) {
        self.import_id = import_id
        self.batch_id = batch_id
        self.rows = rows
        self.created = created
        self.updated = updated
        self.failed = failed
        self.failures = failures
        self.totals = totals
    }
}

/// `GET /v1/accounts/{id}/contacts/imports/{import_id}`.
public struct ContactImportBody: Codable, Sendable {
    public var import_id: Int64
    public var batch_id: String
    public var source: String
    public var totals: ImportCountsBody
    public var failures: [ImportFailureBody]
    public var created_at: String
    public var updated_at: String

    public init(import_id: Int64, batch_id: String, source: String, totals: ImportCountsBody, failures: [ImportFailureBody], created_at: String, updated_at: String) {
        self.import_id = import_id
        self.batch_id = batch_id
        self.source = source
        self.totals = totals
        self.failures = failures
        self.created_at = created_at
        self.updated_at = updated_at
    }
}

/// `POST /v1/accounts/{id}/contacts/erase`.
public struct EraseContactRequest: Codable, Sendable {
    public var email: String?

    public init(email: String) { self.email = email }
}

/// The audit record of an erasure: when and by whom, nothing about the person.
public struct ContactErasureBody: Codable, Sendable {
    public var account_id: Int64
    public var contact_id: Int64
    public var erased_at: String
    public var erased_by: String

    public init(account_id: Int64, contact_id: Int64, erased_at: String, erased_by: String) {
        self.account_id = account_id
        self.contact_id = contact_id
        self.erased_at = erased_at
        self.erased_by = erased_by
    }
}
