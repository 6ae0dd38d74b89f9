import AgencyDomain
import GRDB

/// The one place where the schema's refusals become domain errors. Triggers refuse with
/// `RAISE(ABORT, reason)`; the reasons are named here with what they mean to a caller.
extension DatabaseError {
    /// True when a schema trigger refused the write with `RAISE(ABORT, reason)`.
    func isRaised(_ reason: String) -> Bool {
        resultCode == .SQLITE_CONSTRAINT && message == reason
    }

    /// An erased contact's row refused a write (see 0008_contacts_in_and_out.sql).
    var erasedContact: DomainError? {
        isRaised("contact_erased") ? .conflict(
            code: "contact_erased", message: "The contact was erased: it keeps no personal data and can never be subscribed or mailed again."
        ) : nil
    }

    var isUniqueViolation: Bool {
        extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE || extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
    }

    /// A sandbox cap, with the limit stored on the account (the one the trigger enforced).
    func limitReached(accountID: Int64, _ db: Database) throws -> DomainError? {
        for (reason, kind, column) in [("contact_limit_reached", LimitKind.contacts, "contact_limit"), ("send_limit_reached", .sends, "send_limit")]
        where isRaised(reason) {
            let limit = try Int.fetchOne(db, sql: "SELECT \(column) FROM accounts WHERE id = ?", arguments: [accountID]) ?? 0
            return DomainError.limitReached(kind, limit: limit)
        }
        return nil
    }
}
