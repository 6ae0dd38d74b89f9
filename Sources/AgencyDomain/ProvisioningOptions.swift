/// What a client account made from a snapshot may do on its own. Both default to off: copies
/// don't send email by surprise.
public struct ProvisioningOptions: Equatable, Sendable {
    /// Keep automations active as they were in the sandbox; otherwise they arrive inactive.
    public var activateAutomations: Bool
    /// Keep each campaign's status as it was in the sandbox; otherwise campaigns arrive as drafts.
    public var activateCampaigns: Bool

    public init(activateAutomations: Bool = false, activateCampaigns: Bool = false) {
        self.activateAutomations = activateAutomations
        self.activateCampaigns = activateCampaigns
    }

    /// Whether an asset of `kind` arrives in its inert form.
    public func arrivesInert(_ kind: AssetKind) -> Bool {
        switch kind {
        case .automation: !activateAutomations
        case .campaign: !activateCampaigns
        default: false
        }
    }
}

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

/// Where a provisioned account came from. Kept after the snapshot is deleted.
public struct AccountSource: Equatable, Sendable {
    public var snapshotID: Int64
    public var snapshotName: String
    public var digest: String
    public var options: ProvisioningOptions

    public init(snapshotID: Int64, snapshotName: String, digest: String, options: ProvisioningOptions) {
        self.snapshotID = snapshotID
        self.snapshotName = snapshotName
        self.digest = digest
        self.options = options
    }
}
