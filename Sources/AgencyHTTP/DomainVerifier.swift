import AgencyDomain
import AgencyStorage

/// Checks a claimed domain's TXT record through the configured resolver and, when it holds the
/// domain's token, marks the domain active. Shared by the API and the dashboard.
struct DomainVerifier: Sendable {
    let database: AppDatabase
    let resolver: String?

    func verify(domainID: Int64, agencyID: Int64) async throws -> CustomDomain {
        let domain = try await database.domain(id: domainID, agencyID: agencyID)
        if domain.isActive { return domain }
        let recordName = DomainVerification.recordName(for: domain.host)
        let answer: DNSTXTMessage.Answer
        do {
            guard let resolver = resolver ?? DNSClient.systemResolver() else {
                throw DNSClient.LookupFailed(reason: "no DNS resolver is configured (agency serve --dns-resolver)")
            }
            answer = try await DNSClient(resolver: resolver).txtRecords(of: recordName)
        } catch {
            // Any failure to ask (no route, a socket error) is the lookup's, never a 500.
            let reason = (error as? DNSClient.LookupFailed)?.reason ?? "\(error)"
            throw DomainError.unprocessable(code: "dns_lookup_failed", message: "The TXT record of \(recordName) could not be read: \(reason). Try again later.")
        }
        guard case .records(let texts) = answer, DomainVerification.proves(texts, token: domain.token) else {
            let found = if case .records(let texts) = answer, !texts.isEmpty { "other TXT records" } else { "no TXT record" }
            throw DomainError.unprocessable(
                code: "domain_not_verified",
                message: "\(recordName) has \(found); publish TXT \"\(DomainVerification.recordValue(token: domain.token))\" there and verify again."
            )
        }
        return try await database.markDomainVerified(id: domain.id, agencyID: agencyID)
    }
}
