/// An asset's body in the form that cannot send anything, when that differs from the body.
public enum InertBody {
    public static func of(kind: AssetKind, body: [String: JSONValue]) -> [String: JSONValue]? {
        var inert = body
        switch kind {
        case .automation:
            inert["status"] = .string("inactive")
        case .campaign:
            // Nothing was ever sent from the new account, so even a sent campaign is a draft there.
            inert["status"] = .string("draft")
        default:
            return nil
        }
        return inert == body ? nil : inert
    }
}

extension InertBody {
    /// The same on a body's canonical text: its top-level "status" replaced in place when it can be,
    /// else parsed and re-encoded. nil when the body is already inert or its kind never sends.
    public static func of(kind: AssetKind, canonicalBody text: String) throws -> String? {
        let inertStatus: String
        switch kind {
        case .automation: inertStatus = "inactive"
        case .campaign: inertStatus = "draft"
        default: return nil
        }
        let bytes = Array(text.utf8)
        if case let range?? = CanonicalBody.topLevelString(named: "status", in: bytes),
           let status = CanonicalJSONString.decode(bytes, from: range.lowerBound) {
            return status.text == inertStatus ? nil : CanonicalBody.replacing(range, in: bytes, with: inertStatus)
        }
        return of(kind: kind, body: try JSONValue.parse(text).objectValue ?? [:]).map { JSONValue.object($0).canonicalText() }
    }
}
