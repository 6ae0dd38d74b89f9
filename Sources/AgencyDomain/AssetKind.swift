/// The kinds of marketing configuration an account holds, and that a snapshot carries.
/// Raw values are the ids' namespaces and appear in the reference index and bundles.
public enum AssetKind: String, CaseIterable, Codable, Sendable {
    case tag
    case list
    case field
    case dealGroup
    case dealStage
    case template
    case message
    case campaign
    case automation
    case form
    case segment
    case score
    /// A user group (v3's `groups`): who may see which lists.
    case group
    /// A list made visible to a group (v3's `listGroups`).
    case listGroup
    /// A custom field shown on a list, or on every list (v3's `fieldRels`).
    case fieldRel

    /// How the kind is written and checked; see `AssetSpec+Kinds.swift`.
    public var spec: AssetSpec { AssetSpec.of(self) }
}

/// One reference held by an asset: at `pointer` inside its body, to asset `kind`/`id` of the same account.
public struct AssetReference: Equatable, Hashable, Sendable {
    public var pointer: String
    public var kind: AssetKind
    public var id: Int64

    public init(pointer: String, kind: AssetKind, id: Int64) {
        self.pointer = pointer
        self.kind = kind
        self.id = id
    }
}

/// An asset as stored: its identity, display name and canonical body.
public struct Asset: Equatable, Sendable {
    public var kind: AssetKind
    public var id: Int64
    public var name: String
    public var body: [String: JSONValue]
    public var createdAt: String
    public var updatedAt: String

    public init(kind: AssetKind, id: Int64, name: String, body: [String: JSONValue], createdAt: String, updatedAt: String) {
        self.kind = kind
        self.id = id
        self.name = name
        self.body = body
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// An asset's input after validation: what to store and which references to index.
public struct AssetDraft: Equatable, Sendable {
    public var kind: AssetKind
    public var name: String
    public var uniqueKey: String?
    public var body: [String: JSONValue]
    public var references: [AssetReference]
}
