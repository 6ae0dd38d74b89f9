import AgencyDomain

/// A page of a list in the agency API. `limit` is the one applied, after clamping to the maximum.
public struct ListMeta: Codable, Sendable {
    public var total: Int
    public var limit: Int
    public var offset: Int

    public init(total: Int, page: Page) {
        self.total = total
        limit = page.limit
        offset = page.offset
    }
}
