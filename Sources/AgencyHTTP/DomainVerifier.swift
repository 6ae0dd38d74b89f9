import AgencyDomain
import AgencyOutbound
import AgencyStorage

/// Checks a claimed domain's TXT record through the configured resolver and, when it holds the
/// domain's token, marks the domain active. Shared by the API and the dashboard.
struct DomainVerifier: Sendable {
    let database: AppDatabase
    let resolver: String?

    /// Each lookup holds a UDP socket for up to its timeout: one agency's lookups run one at a time
    /// and at most 16 in all, so a tenant clicking Verify in a loop waits for its own turn instead of
    /// taking the process's sockets or flooding the resolver.
    static let lookups = OutboundGate(perHost: 1, total: 16)

    func verify(domainID: Int64, agencyID: Int64) async throws -> CustomDomain {
        let domain = try await database.domain(id: domainID, agencyID: agencyID)
        if domain.isActive { return domain }
        let recordName = DomainVerification.recordName(for: domain.host)
        let answer: DNSTXTMessage.Answer
        do {
            guard let resolver = resolver ?? DNSClient.systemResolver() else {
                throw DNSClient.LookupFailed(reason: "no DNS resolver is configured (agency serve --dns-resolver)")
            }
            let key = "agency \(agencyID)"
            await Self.lookups.enter(key)
            do {
                answer = try await DNSClient(resolver: resolver).txtRecords(of: recordName)
                await Self.lookups.leave(key)
            } catch {
                await Self.lookups.leave(key)
                throw error
            }
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
