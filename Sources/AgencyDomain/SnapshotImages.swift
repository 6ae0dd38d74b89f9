import Foundation

/// An image left out of a snapshot: which asset, where, and the original source, so the new
/// account's owner has a to-do list.
public struct OmittedImage: Codable, Equatable, Sendable {
    /// The asset kind's raw value, such as `template`.
    public var assetKind: String
    public var assetID: String
    /// The JSON pointer of the HTML string inside the body, `#`, then the context inside the HTML:
    /// `/html#img[src]`, `/steps/2/html#style`.
    public var location: String
    /// The original URL, character references decoded.
    public var source: String

    public init(assetKind: String, assetID: String, location: String, source: String) {
        self.assetKind = assetKind
        self.assetID = assetID
        self.location = location
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case assetKind = "asset_kind"
        case assetID = "asset_id"
        case location
        case source
    }
}

/// Takes the images out of an asset body on its way into a snapshot.
public enum SnapshotImages {
    /// Strips images from every string under a key named "html" (at any depth) of an asset body.
    /// Objects are walked in sorted key order, so the omitted images always come in the same order.
    public static func strip(body: JSONValue, kind: AssetKind, id: Int64) -> (body: JSONValue, omitted: [OmittedImage]) {
        var omitted: [OmittedImage] = []
        let stripped = strip(body, pointer: "", isHTML: false) { pointer, image in
            omitted.append(OmittedImage(
                assetKind: kind.rawValue, assetID: String(id), location: pointer + "#" + image.context, source: image.source
            ))
        }
        return (stripped, omitted)
    }

    /// The same on a body's canonical text, giving canonical text. A body whose HTML is one top-level
    /// "html" string (templates, messages) is stripped in place, without parsing and re-encoding the
    /// rest, which was two thirds of a snapshot's time; any other body takes the general path.
    public static func strip(canonicalBody text: String, kind: AssetKind, id: Int64) throws -> (text: String, omitted: [OmittedImage]) {
        let bytes = Array(text.utf8)
        guard let html = CanonicalBody.topLevelString(named: "html", in: bytes) else {
            let stripped = strip(body: try JSONValue.parse(text), kind: kind, id: id)
            return (stripped.omitted.isEmpty ? text : stripped.body.canonicalText(), stripped.omitted)
        }
        guard let range = html, let literal = CanonicalJSONString.decode(bytes, from: range.lowerBound) else { return (text, []) }
        let result = ImageStripper.strip(literal.text)
        guard !result.images.isEmpty else { return (text, []) }
        let omitted = result.images.map {
            OmittedImage(assetKind: kind.rawValue, assetID: String(id), location: "/html#" + $0.context, source: $0.source)
        }
        return (CanonicalBody.replacing(range, in: bytes, with: result.html), omitted)
    }

    /// `isHTML` is true below a key named "html", so an array of HTML strings is stripped too.
    private static func strip(
        _ value: JSONValue, pointer: String, isHTML: Bool, omit: (String, StrippedImage) -> Void
    ) -> JSONValue {
        switch value {
        case .string(let text) where isHTML:
            let result = ImageStripper.strip(text)
            for image in result.images { omit(pointer, image) }
            return .string(result.html)
        case .array(let items):
            return .array(items.enumerated().map { index, item in
                strip(item, pointer: pointer + "/\(index)", isHTML: isHTML, omit: omit)
            })
        case .object(let members):
            var stripped = members
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                stripped[key] = strip(member, pointer: pointer + "/" + escaped(key), isHTML: isHTML || key == "html", omit: omit)
            }
            return .object(stripped)
        default:
            return value
        }
    }

    /// A JSON pointer reference token (RFC 6901): '~' first, so that the '~' of "~1" is not escaped again.
    private static func escaped(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
