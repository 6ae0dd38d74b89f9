/// A window into a long list. Defaults and bounds follow ActiveCampaign's API v3.
public struct Page: Equatable, Sendable {
    public static let defaultLimit = 20
    public static let maximumLimit = 100

    public var limit: Int
    public var offset: Int

    /// Clamps what a caller asked for into the allowed range.
    public init(limit: Int? = nil, offset: Int? = nil) {
        self.limit = min(max(limit ?? Self.defaultLimit, 1), Self.maximumLimit)
        self.offset = max(offset ?? 0, 0)
    }
}
