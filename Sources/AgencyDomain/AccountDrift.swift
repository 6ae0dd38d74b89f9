/// What a client changed in its account since its base (the snapshot it was made from or last
/// updated to).
public struct AccountDrift: Equatable, Sendable {
    public var accountID: Int64
    public var baseSnapshotID: Int64?
    public var edited: [EditedAsset] = []
    /// Assets the client made itself.
    public var added: [UpdateItem] = []
    /// Assets of the base the client deleted; `id` is the snapshot's id for it.
    public var deleted: [UpdateItem] = []

    public init(accountID: Int64, baseSnapshotID: Int64?) {
        self.accountID = accountID
        self.baseSnapshotID = baseSnapshotID
    }

    public var isEmpty: Bool { edited.isEmpty && added.isEmpty && deleted.isEmpty }

    /// One line per asset, for `verify` and the CLI.
    public var lines: [String] {
        edited.map { "\($0.kind.rawValue) \($0.id): edited by the client (\($0.changes.map(\.pointer).joined(separator: ", ")))" }
            + added.map { "\($0.kind.rawValue) \($0.id): added by the client" }
            + deleted.map { "\($0.kind.rawValue) \($0.id): deleted by the client" }
    }
}

public struct EditedAsset: Equatable, Sendable {
    public var kind: AssetKind
    public var id: Int64
    public var name: String
    /// old is the base's value, new the account's.
    public var changes: [FieldChange]

    public init(kind: AssetKind, id: Int64, name: String, changes: [FieldChange]) {
        self.kind = kind
        self.id = id
        self.name = name
        self.changes = changes
    }
}
