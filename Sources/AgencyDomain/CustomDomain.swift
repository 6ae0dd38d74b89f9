/// A host name an agency claimed for its clients' sign-in page. Active once verified over DNS.
public struct CustomDomain: Sendable, Equatable {
    public var id: Int64
    public var agencyID: Int64
    public var host: String
    /// Published by the agency in `DomainVerification.recordName(for: host)`; public by design.
    public var token: String
    public var verifiedAt: String?
    public var createdAt: String

    public init(id: Int64, agencyID: Int64, host: String, token: String, verifiedAt: String?, createdAt: String) {
        self.id = id
        self.agencyID = agencyID
        self.host = host
        self.token = token
        self.verifiedAt = verifiedAt
        self.createdAt = createdAt
    }

    public var isActive: Bool { verifiedAt != nil }
    public var loginURL: String { "https://\(host)/login" }
}
