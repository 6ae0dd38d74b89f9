/// An account's whole configuration as one JSON document, references by id:
/// `{"format": "agency-snapshots.bundle/1", "assets": {"tags": [{"id": "1", "tag": "VIP", …}], …}}`.
/// Ids are the account's own, so a bundle written into another account keeps every reference valid.
public struct AssetBundle: Equatable, Sendable {
    public static let format = "agency-snapshots.bundle/1"

    public struct Item: Equatable, Sendable {
        public var id: Int64
        public var draft: AssetDraft
    }

    public var items: [Item]

    /// Checks every item as the API would, and that every reference names an item of the bundle.
    /// Errors name the bad item, e.g. `assets.automations[2].steps[0].tag`.
    public static func parse(_ document: JSONValue) throws -> AssetBundle {
        guard let root = document.objectValue else { throw DomainError.invalid(field: "bundle", message: "A bundle is a JSON object.") }
        if let format = root["format"], format != .string(Self.format) {
            throw DomainError.invalid(field: "format", message: "Unknown bundle format; expected '\(Self.format)'.")
        }
        // Applying a bundle removes what it does not list, so a document that is not plainly a bundle
        // must change nothing: a misspelled or missing "assets" would otherwise empty the account.
        if let unknown = root.keys.sorted().first(where: { !["format", "assets"].contains($0) }) {
            throw DomainError.invalid(field: unknown, message: "'\(unknown)' is not part of a bundle; a bundle has 'format' and 'assets'.")
        }
        guard let groups = root["assets"]?.objectValue else {
            throw DomainError.invalid(field: "assets", message: "'assets' is required: an object of lists by kind. To empty an account, send {\"format\": \"\(Self.format)\", \"assets\": {}}.")
        }
        var items: [Item] = []
        var unique = Set<String>()
        for path in groups.keys.sorted() {
            guard let kind = AssetSpec.kind(atPath: path) else {
                throw DomainError.invalid(field: "assets.\(path)", message: "'assets.\(path)' is not a kind of asset; kinds are \(AssetKind.allCases.map(\.spec.path).joined(separator: ", ")).")
            }
            guard let entries = groups[path]?.arrayValue else { throw DomainError.invalid(field: "assets.\(path)", message: "'assets.\(path)' must be a list.") }
            var ids = Set<Int64>()
            for (index, entry) in entries.enumerated() {
                let itemPath = "assets.\(path)[\(index)]"
                guard let object = entry.objectValue else {
                    throw DomainError.invalid(field: itemPath, message: "'\(itemPath)' must be an object.")
                }
                let id = try ReferenceID.parse(object["id"] ?? .null, path: "\(itemPath).id")
                guard ids.insert(id).inserted else { throw DomainError.invalid(field: "\(itemPath).id", message: "'\(itemPath).id': \(kind.rawValue) \(id) appears twice.") }
                let draft = try rebased(itemPath, kind: kind) { try kind.spec.draft(from: object) }
                if let key = draft.uniqueKey, !unique.insert("\(kind.rawValue):\(key)").inserted {
                    throw DomainError.invalid(field: itemPath, message: "'\(itemPath)': another \(kind.rawValue) has the same \(kind.spec.uniqueField ?? "name").")
                }
                items.append(Item(id: id, draft: draft))
            }
        }
        let bundle = AssetBundle(items: items)
        try bundle.checkReferencesResolve()
        return bundle
    }

    /// Every reference must name an asset inside the bundle: after applying, the bundle is the whole account.
    func checkReferencesResolve() throws {
        let present = Set(items.map { "\($0.draft.kind.rawValue):\($0.id)" })
        let indexes = Dictionary(grouping: items.indices, by: { items[$0].draft.kind })
        for item in items {
            for reference in item.draft.references where !present.contains("\(reference.kind.rawValue):\(reference.id)") {
                let position = indexes[item.draft.kind]?.firstIndex(where: { items[$0].id == item.id }) ?? 0
                let field = "assets.\(item.draft.kind.spec.path)[\(position)]" + reference.pointer.replacingOccurrences(of: "/", with: ".")
                throw DomainError.invalid(field: field, message: "'\(field)' names \(reference.kind.rawValue) \(reference.id), which is not in the bundle.")
            }
        }
    }

    /// The document for a set of assets: kinds by their v3 route names, items by id, bodies as stored.
    public static func document(of assets: [Asset]) -> JSONValue {
        var groups: [String: [JSONValue]] = [:]
        for asset in assets.sorted(by: { ($0.kind.rawValue, $0.id) < ($1.kind.rawValue, $1.id) }) {
            var body = asset.body
            body["id"] = .string(String(asset.id))
            groups[asset.kind.spec.path, default: []].append(.object(body))
        }
        return .object(["format": .string(format), "assets": .object(groups.mapValues(JSONValue.array))])
    }

    /// Runs `check`, re-rooting a field error from `tag.x` to `assets.tags[3].x`.
    static func rebased<T>(_ itemPath: String, kind: AssetKind, _ check: () throws -> T) throws -> T {
        do {
            return try check()
        } catch DomainError.invalid(let field, let message) {
            let envelope = kind.spec.envelope
            let rebasedField = field.hasPrefix(envelope) ? itemPath + field.dropFirst(envelope.count) : "\(itemPath).\(field)"
            throw DomainError.invalid(field: rebasedField, message: message.replacingOccurrences(of: "'\(field)", with: "'\(rebasedField)"))
        }
    }
}
