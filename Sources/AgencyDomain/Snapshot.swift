/// An immutable copy of a sandbox's assets (and, when asked, its contacts and deals).
public struct Snapshot: Equatable, Sendable {
    public var id: Int64
    public var agencyID: Int64
    public var sourceAccountID: Int64
    public var name: String
    public var includes: [SnapshotInclude]
    /// How many of each kind it holds, keyed by the per-account API's path (`tags`, `contacts`, …).
    public var contents: [String: Int]
    /// The images left out; empty in lists, where only `omittedCount` is read.
    public var omitted: [OmittedImage]
    public var omittedCount: Int
    public var digest: String
    public var createdAt: String

    public init(
        id: Int64, agencyID: Int64, sourceAccountID: Int64, name: String, includes: [SnapshotInclude],
        contents: [String: Int], omitted: [OmittedImage], omittedCount: Int, digest: String, createdAt: String
    ) {
        self.id = id
        self.agencyID = agencyID
        self.sourceAccountID = sourceAccountID
        self.name = name
        self.includes = includes
        self.contents = contents
        self.omitted = omitted
        self.omittedCount = omittedCount
        self.digest = digest
        self.createdAt = createdAt
    }
}

/// Data a snapshot carries only when asked: configuration is always in, customer-like data is opt-in.
public enum SnapshotInclude: String, CaseIterable, Codable, Sendable {
    /// Contacts with their tags, list subscriptions and field values.
    case contacts
    case deals
    /// Campaign and automation reports: v3's counters of sends, opens, clicks, entries and exits.
    case reports

    /// Reads `["contacts", "deals", "reports"]`, refusing anything else by name.
    public static func parse(_ names: [String], field: String = "include") throws -> [SnapshotInclude] {
        let includes = try names.map { name in
            guard let include = SnapshotInclude(rawValue: name) else {
                throw DomainError.invalid(field: field, message: "'\(name)' cannot be included; choose from: contacts, deals, reports.")
            }
            return include
        }
        return allCases.filter(includes.contains)
    }
}

/// The record kinds a snapshot keeps for each include, named like the per-account API's paths.
public enum SnapshotRecordKind: String, CaseIterable, Sendable {
    case contacts
    case contactTags
    case contactLists
    case fieldValues
    case deals
    case automationReports
    case campaignReports

    public var include: SnapshotInclude {
        switch self {
        case .deals: .deals
        case .automationReports, .campaignReports: .reports
        default: .contacts
        }
    }
}
