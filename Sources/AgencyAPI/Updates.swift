import AgencyDomain

/// `POST /v1/accounts/{id}/updates`.
public struct UpdateRequest: Codable, Sendable {
    public var snapshot_id: FlexibleID?
    public var dry_run: Bool?
    public var policy: String?
    public var kinds: [String]?

    public init(snapshot_id: Int64, dry_run: Bool? = nil, policy: String? = nil, kinds: [String]? = nil) {
        self.snapshot_id = FlexibleID(snapshot_id)
        self.dry_run = dry_run
        self.policy = policy
        self.kinds = kinds
    }
}

/// One asset in an update report or a drift.
public struct UpdateItemBody: Codable, Sendable {
    public var kind: String
    public var id: Int64
    public var name: String
    public var pointers: [String]
    public var reason: String?

    public init(_ item: UpdateItem) {
        kind = item.kind.rawValue
        id = item.id
        name = item.name
        pointers = item.pointers
        reason = item.reason
    }
}

/// A field both sides changed. A value left out was not there on that side.
public struct FieldConflictBody: Codable, Sendable {
    public var pointer: String
    public var base: JSONValue?
    public var client: JSONValue?
    public var snapshot: JSONValue?

    public init(_ conflict: FieldConflict) {
        pointer = conflict.pointer
        base = conflict.base
        client = conflict.client
        snapshot = conflict.snapshot
    }
}

public struct UpdateConflictBody: Codable, Sendable {
    public var kind: String
    public var id: Int64
    public var name: String
    /// Which side the policy took: `keep_client` or `take_snapshot`.
    public var resolution: String
    public var reason: String?
    public var fields: [FieldConflictBody]

    public init(_ conflict: UpdateConflict) {
        kind = conflict.kind.rawValue
        id = conflict.id
        name = conflict.name
        resolution = conflict.resolution.rawValue
        reason = conflict.reason
        fields = conflict.fields.map(FieldConflictBody.init)
    }
}

/// The report of an update, or of a dry run of it.
public struct UpdateReportBody: Codable, Sendable {
    public var account_id: Int64
    public var from_snapshot_id: Int64
    public var to_snapshot_id: Int64
    /// The account's base afterwards: to_snapshot_id, unless `kinds` was given or a change was held back.
    public var base_snapshot_id: Int64
    public var policy: String
    public var dry_run: Bool
    public var applied: [UpdateItemBody]
    public var kept: [UpdateItemBody]
    public var conflicts: [UpdateConflictBody]
    public var created: [UpdateItemBody]
    public var removed: [UpdateItemBody]
    public var omitted: [OmittedImage]
    public var counts: [String: Int]

    public init(_ report: UpdateReport) {
        account_id = report.accountID
        from_snapshot_id = report.fromSnapshotID
        to_snapshot_id = report.toSnapshotID
        base_snapshot_id = report.baseSnapshotID
        policy = report.policy.rawValue
        dry_run = report.dryRun
        applied = report.applied.map(UpdateItemBody.init)
        kept = report.kept.map(UpdateItemBody.init)
        conflicts = report.conflicts.map(UpdateConflictBody.init)
        created = report.created.map(UpdateItemBody.init)
        removed = report.removed.map(UpdateItemBody.init)
        omitted = report.omitted
        counts = report.counts
    }
}

/// `POST /v1/snapshots/{id}/push`. `accounts` is a list of ids or the string `all`.
public struct PushRequest: Codable, Sendable {
    public var accounts: AccountChoice?
    public var dry_run: Bool?
    public var policy: String?

    public init(accounts: [Int64]?, dry_run: Bool? = nil, policy: String? = nil) {
        self.accounts = accounts.map { .some($0.map(FlexibleID.init)) } ?? .all
        self.dry_run = dry_run
        self.policy = policy
    }

    public enum AccountChoice: Codable, Sendable {
        case all
        case some([FlexibleID])

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self), text == "all" {
                self = .all
            } else if let ids = try? container.decode([FlexibleID].self) {
                self = .some(ids)
            } else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected \"all\" or a list of account ids.")
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .all: try container.encode("all")
            case .some(let ids): try container.encode(ids)
            }
        }
    }
}

public struct PushAccountBody: Codable, Sendable {
    public var account_id: Int64
    /// updated, previewed (a dry run), up_to_date, skipped or failed.
    public var status: String
    public var report: UpdateReportBody?
    public var error: ErrorReply.Detail?

    public init(account_id: Int64, status: String, report: UpdateReportBody?, error: ErrorReply.Detail?) {
        self.account_id = account_id
        self.status = status
        self.report = report
        self.error = error
    }
}

public struct PushReply: Codable, Sendable {
    public var snapshot_id: Int64
    public var dry_run: Bool
    public var accounts: [PushAccountBody]
    /// Accounts per status.
    public var counts: [String: Int]

    public init(snapshot_id: Int64, dry_run: Bool, accounts: [PushAccountBody]) {
        self.snapshot_id = snapshot_id
        self.dry_run = dry_run
        self.accounts = accounts
        counts = Dictionary(accounts.map { ($0.status, 1) }, uniquingKeysWith: +)
    }
}

/// `GET /v1/accounts/{id}/drift`.
public struct DriftBody: Codable, Sendable {
    public struct Change: Codable, Sendable {
        public var pointer: String
        public var base: JSONValue?
        public var current: JSONValue?
    }

    public struct Edited: Codable, Sendable {
        public var kind: String
        public var id: Int64
        public var name: String
        public var changes: [Change]
    }

    public var account_id: Int64
    public var base_snapshot_id: OrNull<Int64>
    public var edited: [Edited]
    public var added: [UpdateItemBody]
    /// Ids here are the sandbox's: the assets are gone from the account.
    public var deleted: [UpdateItemBody]
    public var counts: [String: Int]

    public init(_ drift: AccountDrift) {
        account_id = drift.accountID
        base_snapshot_id = OrNull(drift.baseSnapshotID)
        edited = drift.edited.map { asset in
            Edited(kind: asset.kind.rawValue, id: asset.id, name: asset.name, changes: asset.changes.map { Change(pointer: $0.pointer, base: $0.old, current: $0.new) })
        }
        added = drift.added.map(UpdateItemBody.init)
        deleted = drift.deleted.map(UpdateItemBody.init)
        counts = ["edited": edited.count, "added": added.count, "deleted": deleted.count]
    }
}

/// `GET /v1/snapshots/{a}/diff/{b}`.
public struct SnapshotDiffBody: Codable, Sendable {
    public struct Change: Codable, Sendable {
        public var pointer: String
        public var old: JSONValue?
        public var new: JSONValue?
    }

    public struct Entry: Codable, Sendable {
        public var kind: String
        public var id: Int64
        public var name: String
        /// added, removed or changed.
        public var status: String
        public var changes: [Change]
    }

    public struct Counts: Codable, Sendable {
        public var added: Int
        public var removed: Int
        public var changed: Int
        public var unchanged: Int
    }

    public var from_snapshot_id: Int64
    public var to_snapshot_id: Int64
    public var assets: [Entry]
    /// Per kind, by its route name (`tags`, `automations`, …).
    public var counts: [String: Counts]

    public init(_ diff: SnapshotDiff) {
        from_snapshot_id = diff.fromSnapshotID
        to_snapshot_id = diff.toSnapshotID
        assets = diff.entries.map { entry in
            Entry(kind: entry.kind.rawValue, id: entry.id, name: entry.name, status: entry.status.rawValue,
                  changes: entry.changes.map { Change(pointer: $0.pointer, old: $0.old, new: $0.new) })
        }
        counts = diff.counts.mapValues { Counts(added: $0.added, removed: $0.removed, changed: $0.changed, unchanged: $0.unchanged) }
    }
}

/// `GET /v1/accounts/{id}/updates`: the account's history of updates, newest first.
public struct UpdateHistoryBody: Codable, Sendable {
    public struct Entry: Codable, Sendable {
        public var id: Int64
        public var from_snapshot_id: Int64
        public var to_snapshot_id: Int64
        public var from_digest: String
        public var to_digest: String
        public var policy: String
        public var counts: [String: Int]
        public var created_at: String

        public init(id: Int64, from_snapshot_id: Int64, to_snapshot_id: Int64, from_digest: String, to_digest: String, policy: String, counts: [String: Int], created_at: String) {
            self.id = id
            self.from_snapshot_id = from_snapshot_id
            self.to_snapshot_id = to_snapshot_id
            self.from_digest = from_digest
            self.to_digest = to_digest
            self.policy = policy
            self.counts = counts
            self.created_at = created_at
        }
    }

    public var account_id: Int64
    public var updates: [Entry]

    public init(account_id: Int64, updates: [Entry]) {
        self.account_id = account_id
        self.updates = updates
    }
}

/// `GET /v1/snapshots/{id}/behind`: the accounts a push of this snapshot to "all" would update.
public struct BehindReply: Codable, Sendable {
    public var snapshot_id: Int64
    public var accounts: [Int64]

    public init(snapshot_id: Int64, accounts: [Int64]) {
        self.snapshot_id = snapshot_id
        self.accounts = accounts
    }
}
