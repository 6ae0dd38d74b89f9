import AgencyDomain
import Hummingbird

/// An account as the agency API shows it. `credentials` appear only in the reply that created them.
struct AccountBody: Encodable {
    /// null means unlimited.
    struct Limits: Encodable {
        var contacts: OrNull<Int>
        var sends: OrNull<Int>
    }

    struct Usage: Encodable {
        var contacts: Int
        var sends: Int
    }

    struct CredentialsBody: Encodable {
        var login_url: String
        var username: String
        var password: String
    }

    var id: Int64
    var name: String
    var kind: String
    var limits: Limits
    var usage: Usage
    var created_at: String
    var credentials: CredentialsBody?
    /// The snapshot the account was made from; null for sandboxes and empty accounts.
    var source: OrNull<SourceBody>

    init(_ account: Account, credentials: CredentialsBody? = nil) {
        id = account.id
        name = account.name
        kind = account.kind.rawValue
        limits = Limits(contacts: OrNull(account.limits.contacts), sends: OrNull(account.limits.sends))
        usage = Usage(contacts: account.usage.contacts, sends: account.usage.sends)
        created_at = account.createdAt
        self.credentials = credentials
        source = OrNull(account.source.map(SourceBody.init))
    }
}

/// A page of a list in the agency API.
struct ListMeta: Encodable {
    var total: Int
    var limit: Int
    var offset: Int

    init(total: Int, page: Page) {
        self.total = total
        limit = page.limit
        offset = page.offset
    }
}

extension Page {
    /// `?limit=&offset=` from a request. A limit above the maximum is clamped to it (as v3 does);
    /// anything that is not a whole number in range is refused, naming the parameter.
    init(_ request: Request) throws {
        func number(_ name: String, atLeast minimum: Int) throws -> Int? {
            guard let text = request.query(name) else { return nil }
            guard let value = Int(text), value >= minimum else {
                throw DomainError.invalid(field: name, message: "'\(name)' must be a whole number of at least \(minimum).")
            }
            return value
        }
        self.init(limit: try number("limit", atLeast: 1), offset: try number("offset", atLeast: 0))
    }
}

/// A per-account API token, shown once.
struct TokenReply: Encodable {
    var account_id: Int64
    var token: String
}
