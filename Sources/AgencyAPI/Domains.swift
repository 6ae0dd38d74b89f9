import AgencyDomain

/// A custom domain as the agency API shows it, with the DNS record that proves it.
public struct DomainBody: Codable, Sendable {
    public struct Record: Codable, Sendable {
        public var type: String
        public var name: String
        public var value: String
    }

    public var id: Int64
    public var host: String
    /// `pending` until the TXT record was found, then `active`.
    public var status: String
    public var verification: Record
    public var verified_at: OrNull<String>
    public var created_at: String

    public init(_ domain: CustomDomain) {
        id = domain.id
        host = domain.host
        status = domain.isActive ? "active" : "pending"
        verification = Record(
            type: "TXT", name: DomainVerification.recordName(for: domain.host), value: DomainVerification.recordValue(token: domain.token)
        )
        verified_at = OrNull(domain.verifiedAt)
        created_at = domain.createdAt
    }
}

public struct DomainList: Codable, Sendable {
    public var domains: [DomainBody]

    public init(domains: [DomainBody]) { self.domains = domains }
}

/// `POST /v1/agency/domains`.
public struct DomainRequest: Codable, Sendable {
    public var host: String?

    public init(host: String) { self.host = host }
}
