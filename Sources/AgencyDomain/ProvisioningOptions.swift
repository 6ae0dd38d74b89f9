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
}
