import AgencyDomain
import AgencyStorage
import Mustache

// What the templates show, as plain values: the templates hold no logic beyond sections, and every
// value they print is escaped by Mustache.

/// The frame around every page: title, navigation, and the session's CSRF token for its forms.
struct PageChrome {
    var title: String
    var csrf: String?
    /// The agency's navigation (Accounts, Account Snapshots, Add new, Sign out).
    var agency = false
    /// The client's navigation (its account, Sign out).
    var client = false
    var onAccounts = false
    var onSnapshots = false
    var onAddNew = false
    var onSettings = false
    /// A line saying what the last action did, shown once after a redirect.
    var notice: String?
    /// The service's name, or the agency's branding on its clients' pages and its dashboard.
    var brand = PageBrand.service
}

struct ErrorView {
    var page: PageChrome
    var status: String
    var message: String
}

struct SignInView {
    var page: PageChrome
    var error: String?
    var username: String?
}

/// One row of the Reseller tab.
struct AccountRow {
    var id: Int64
    var name: String
    var kind: String
    var isSandbox: Bool
    /// How many the account has, against its cap where it has one ("3", "3 / 100").
    var contacts: String
    var sends: String
    var createdAt: String
    var snapshotName: String?
    var snapshotID: Int64?
    var snapshotDeleted: Bool

    init(_ account: Account) {
        id = account.id
        name = account.name
        kind = account.kind.rawValue
        isSandbox = account.kind == .sandbox
        contacts = Self.usage(account.usage.contacts, cap: account.limits.contacts)
        sends = Self.usage(account.usage.sends, cap: account.limits.sends)
        createdAt = Self.readable(account.createdAt)
        snapshotName = account.source?.snapshotName
        snapshotID = account.source?.snapshotID
        snapshotDeleted = account.source.map { !$0.snapshotExists } ?? false
    }

    static func usage(_ used: Int, cap: Int?) -> String {
        cap.map { "\(used) / \($0)" } ?? "\(used)"
    }

    /// `2026-11-23T19:32:05Z` as `2026-11-23 19:32 UTC`.
    static func readable(_ timestamp: String) -> String {
        guard timestamp.count >= 16 else { return timestamp }
        return "\(timestamp.prefix(10)) \(timestamp.dropFirst(11).prefix(5)) UTC"
    }
}

/// A choice of a `<select>` or of a filter.
struct Choice {
    var value: String
    var label: String
    var selected: Bool
}

struct PageLink {
    var href: String
    var label: String
}

struct AccountsView {
    var page: PageChrome
    var accounts: [AccountRow]
    var kinds: [Choice]
    var total: Int
    var showing: String
    var previous: PageLink?
    var next: PageLink?
}

struct AddAccountView {
    var page: PageChrome
    var kinds: [Choice]
    var snapshots: [Choice]
    var name: String
    var idempotencyKey: String
    var nameError: String?
    var snapshotError: String?
    var formError: String?
    /// Where the credentials' login URL points: the service's own, or one of the agency's active domains.
    var domains: [Choice] = []
    var hasDomains = false
}

struct CredentialsView {
    var page: PageChrome
    var account: AccountRow
    var loginURL: String
    var username: String
    var password: String
}

struct Count {
    var label: String
    var count: Int
}

struct ImageRow {
    var asset: String
    var location: String
    var source: String
}

struct AccountView {
    var page: PageChrome
    var account: AccountRow
    var username: String
    var counts: [Count]
    var images: [ImageRow]
    var sourceDigest: String?
    /// The rename form: the name as typed, and the plans a client account can move between.
    var editName: String
    var plans: [Choice]
    var nameError: String?
    var kindError: String?
    /// The account's API tokens, each with a Revoke button; never a secret.
    var tokens: [TokenRow]
}

/// One per-account API token on the account page.
struct TokenRow {
    var id: Int64
    var createdAt: String
    var lastUsed: String

    init(_ token: AccountTokenInfo) {
        id = token.id
        createdAt = token.createdAt
        lastUsed = token.lastUsedAt ?? "not yet"
    }
}

struct TokenView {
    var page: PageChrome
    var account: AccountRow
    var token: String
    var back: String
}

struct CheckView {
    var page: PageChrome
    var account: AccountRow
    var ok: Bool
    var referencesIntact: Bool
    var assetsChecked: Int
    var referencesChecked: Int
    var dangling: [String]
    var equalsSnapshot: String
    var differences: [String]
    var drift: [String]
    var hasBase: Bool
}

struct ConfirmView {
    var page: PageChrome
    var what: String
    var name: String
    var action: String
    var cancel: String
    var consequence: String
}

struct SnapshotRow {
    var id: Int64
    var name: String
    var source: String
    var sourceID: Int64
    var createdAt: String
    var digest: String
    var contents: String
    var omitted: String?
}

struct SnapshotsView {
    var page: PageChrome
    var snapshots: [SnapshotRow]
    var sandboxes: [Choice]
    var hasSandboxes: Bool
    var name: String
    var nameError: String?
    var sandboxError: String?
    var total: Int
    /// Two drop-downs for "Compare", shown when there are two snapshots or more.
    var canCompare: Bool
    var compareFrom: [Choice]
    var compareTo: [Choice]
}

struct ClientAccountView {
    var page: PageChrome
    var account: AccountRow
    var username: String
    var counts: [Count]
    var images: [ImageRow]
}

struct DiffRow {
    var kind: String
    var id: Int64
    var name: String
    var status: String
    var fields: String
}

struct DiffView {
    var page: PageChrome
    var fromName: String
    var toName: String
    var toID: Int64
    var rows: [DiffRow]
    var summary: String
    /// The accounts whose base is an earlier snapshot of the same sandbox: what a push updates.
    var behind: [String]
    var hasBehind: Bool
    var policies: [Choice]
}

struct PushRow {
    var account: String
    var status: String
    var summary: String
    var error: String?
}

struct PushView {
    var page: PageChrome
    var dryRun: Bool
    var snapshotName: String
    var snapshotID: Int64
    var policy: String
    var rows: [PushRow]
}

// Rows repeat on a page, and Mustache looks each value up by name; without these it reflects on the
// row (a `Mirror` per lookup), which made a page of 25 accounts ten times slower than its JSON.
extension AccountRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "name": self.name
        case "kind": kind
        case "isSandbox": isSandbox
        case "contacts": contacts
        case "sends": sends
        case "createdAt": createdAt
        case "snapshotName": snapshotName
        case "snapshotID": snapshotID
        case "snapshotDeleted": snapshotDeleted
        default: nil
        }
    }
}

extension SnapshotRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "name": self.name
        case "source": source
        case "sourceID": sourceID
        case "createdAt": createdAt
        case "digest": digest
        case "contents": contents
        case "omitted": omitted
        default: nil
        }
    }
}

extension Choice: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}
