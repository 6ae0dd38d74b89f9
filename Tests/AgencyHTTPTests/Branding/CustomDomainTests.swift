import AgencyAPI
import AgencyDomain
@testable import AgencyHTTP
import Foundation
import HTTPTypes
import NIOCore
import Testing

@Suite("Custom domains: claimed, proved over DNS, one agency each")
struct CustomDomainTests {
    static let host = "app.northwind.example"

    /// A claim is pending with the record to publish; the TXT check against the local DNS server
    /// passes only with the right token, and then the domain is active.
    @Test func theTXTRecordDecides() async throws {
        let service = try await TestService()
        let dns = try await FakeDNSServer()
        let recordName = "_agency-snapshots.\(Self.host)"
        let (added, missing, nxdomain, wrong, right, again, listed) = try await service.test(dns: dns) { api in
            let added = try await api.request(.post, "/v1/agency/domains", agency: service.agencyA, json: ["host": "App.Northwind.Example."])
            let id = added.json["id"] as? Int ?? 0
            let verify = { try await api.request(.post, "/v1/agency/domains/\(id)/verify", agency: service.agencyA) }
            let missing = try await verify()
            dns.set(recordName, .noSuchName)
            let nxdomain = try await verify()
            dns.set(recordName, .txt(["v=spf1 -all", "agency-snapshots-verify=not-the-token"]))
            let wrong = try await verify()
            let value = try added.decode(DomainBody.self).verification.value
            dns.set(recordName, .txt(["v=spf1 -all", value]))
            let right = try await verify()
            dns.set(recordName, .noSuchName)
            let again = try await verify()
            return (added, missing, nxdomain, wrong, right, again, try await api.request(.get, "/v1/agency/domains", agency: service.agencyA))
        }
        try await dns.stop()
        let body = try added.decode(DomainBody.self)
        #expect(added.status == .created && body.host == Self.host && body.status == "pending")
        #expect(body.verification.type == "TXT" && body.verification.name == recordName && body.verification.value.hasPrefix("agency-snapshots-verify="))
        for reply in [missing, nxdomain, wrong] {
            #expect(reply.status == .unprocessableContent && reply.errorCode == "domain_not_verified", "\(reply.text)")
            #expect(reply.error?.message.contains(body.verification.value) == true)
        }
        #expect(right.status == .ok && right.json["status"] as? String == "active")
        #expect(again.status == .ok && again.json["status"] as? String == "active", "an active domain stays active")
        #expect(try listed.decode(DomainList.self).domains.map(\.host) == [Self.host])
    }

    /// A resolver that never answers ends in a clear error, not a hang.
    @Test func aSilentResolverIsAFailedLookup() async throws {
        let dns = try await FakeDNSServer(["_agency-snapshots.quiet.example": .silence, "loud.example": .txt([String(repeating: "x", count: 600)])])
        let client = try DNSClient(resolver: dns.address, timeout: .milliseconds(300))
        await #expect(throws: DNSClient.LookupFailed.self) { try await client.txtRecords(of: "_agency-snapshots.quiet.example") }
        #expect(try await client.txtRecords(of: "loud.example") == .records([String(repeating: "x", count: 600)]))
        #expect(try await client.txtRecords(of: "nothing.example") == .records([]))
        try await dns.stop()
    }

    /// One agency's lookups run one at a time: three Verify requests at once against a resolver that
    /// never answers put one question on the wire while the first waits, not three sockets.
    @Test func oneAgencysLookupsRunOneAtATime() async throws {
        let service = try await TestService()
        let hosts = ["one.quiet.example", "two.quiet.example", "three.quiet.example"]
        let dns = try await FakeDNSServer(Dictionary(uniqueKeysWithValues: hosts.map { ("_agency-snapshots.\($0)", .silence) }))
        let (whileWaiting, replies) = try await service.test(dns: dns) { api in
            var ids: [Int] = []
            for host in hosts {
                ids.append(try await api.request(.post, "/v1/agency/domains", agency: service.agencyA, json: ["host": host]).json["id"] as? Int ?? 0)
            }
            let verifies = ids.map { id in Task { try await api.request(.post, "/v1/agency/domains/\(id)/verify", agency: service.agencyA) } }
            // The first question, then a second: well within the first lookup's 3 s of waiting.
            for _ in 0..<200 where dns.questions == 0 { try await Task.sleep(for: .milliseconds(50)) }
            try await Task.sleep(for: .seconds(1))
            let whileWaiting = dns.questions
            var replies: [APIClient.Reply] = []
            for verify in verifies { replies.append(try await verify.value) }
            return (whileWaiting, replies)
        }
        try await dns.stop()
        #expect(whileWaiting == 1, "one lookup on the wire for the agency, the others waiting their turn")
        #expect(dns.questions == 3)
        for reply in replies { #expect(reply.status == .unprocessableContent && reply.errorCode == "dns_lookup_failed", "\(reply.text)") }
    }

    /// One host, one agency: B cannot claim what A holds (pending or active), nor can A twice.
    @Test func aDomainClaimedByOneAgencyCannotBeAddedByAnother() async throws {
        let service = try await TestService()
        let (first, byB, twice, invalid) = try await service.test { api in
            (try await api.request(.post, "/v1/agency/domains", agency: service.agencyA, json: ["host": Self.host]),
             try await api.request(.post, "/v1/agency/domains", agency: service.agencyB, json: ["host": Self.host.uppercased()]),
             try await api.request(.post, "/v1/agency/domains", agency: service.agencyA, json: ["host": Self.host]),
             try await api.request(.post, "/v1/agency/domains", agency: service.agencyA, json: ["host": "https://evil.example:443/x"]))
        }
        #expect(first.status == .created)
        #expect(byB.status == .conflict && byB.errorCode == "domain_taken")
        #expect(twice.status == .conflict && twice.errorCode == "domain_taken")
        #expect(invalid.status == .unprocessableContent && invalid.error?.field == "host")
    }

    /// Agency B can neither see, verify nor remove A's domain, nor give it to its own account.
    @Test func anotherAgencyCannotSeeOrTouchTheDomains() async throws {
        let service = try await TestService()
        let dns = try await FakeDNSServer()
        let replies = try await service.test(dns: dns) { api in
            let domain = try await api.activeDomain(Self.host, agency: service.agencyA, dns: dns)
            return [
                try await api.request(.get, "/v1/agency/domains/\(domain.id)", agency: service.agencyB),
                try await api.request(.post, "/v1/agency/domains/\(domain.id)/verify", agency: service.agencyB),
                try await api.request(.delete, "/v1/agency/domains/\(domain.id)", agency: service.agencyB),
                try await api.request(.get, "/v1/agency/domains", agency: service.agencyB),
                try await api.request(.post, "/v1/accounts", agency: service.agencyB, json: ["name": "Gym", "kind": "trial", "domain": Self.host]),
                try await api.request(.get, "/v1/agency/domains/\(domain.id)", agency: service.agencyA),
            ]
        }
        try await dns.stop()
        #expect(replies[0].status == .notFound && replies[1].status == .notFound && replies[2].status == .notFound)
        #expect(try replies[3].decode(DomainList.self).domains.isEmpty)
        #expect(replies[4].status == .unprocessableContent && replies[4].error?.field == "domain")
        #expect(replies[5].status == .ok && replies[5].json["status"] as? String == "active")
    }

    /// An account given an active domain gets credentials on it; a pending one is refused.
    @Test func credentialsUseTheAccountsDomain() async throws {
        let service = try await TestService()
        let dns = try await FakeDNSServer()
        let (onDomain, plain, pending, removed) = try await service.test(dns: dns) { api in
            let domain = try await api.activeDomain(Self.host, agency: service.agencyA, dns: dns)
            _ = try await api.request(.post, "/v1/agency/domains", agency: service.agencyA, json: ["host": "pending.northwind.example"])
            let onDomain = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "Gym", "kind": "paid", "domain": Self.host])
            let plain = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "Gym 2", "kind": "paid"])
            let pending = try await api.request(
                .post, "/v1/accounts", agency: service.agencyA, json: ["name": "Gym 3", "kind": "paid", "domain": "pending.northwind.example"]
            )
            let removed = try await api.request(.delete, "/v1/agency/domains/\(domain.id)", agency: service.agencyA)
            return (onDomain, plain, pending, removed)
        }
        try await dns.stop()
        #expect(onDomain.status == .created)
        #expect(try onDomain.decode(AccountBody.self).credentials?.login_url == "https://\(Self.host)/login")
        #expect(try plain.decode(AccountBody.self).credentials?.login_url == "https://snapshots.test/login")
        #expect(pending.status == .unprocessableContent && pending.error?.field == "domain")
        #expect(removed.status == .noContent)
        let id = Int64(try onDomain.decode(AccountBody.self).id)
        #expect(try await service.database.loginHost(accountID: id) == nil, "a removed domain leaves the account on the service's URL")
    }

    /// Caddy's on-demand TLS asks before it gets a certificate: only the service's host and active domains.
    @Test func theTLSAskEndpointAnswersPerCase() async throws {
        let service = try await TestService()
        let dns = try await FakeDNSServer()
        let replies = try await service.test(dns: dns) { api in
            _ = try await api.activeDomain(Self.host, agency: service.agencyA, dns: dns)
            _ = try await api.request(.post, "/v1/agency/domains", agency: service.agencyB, json: ["host": "pending.example"])
            return [
                try await api.request(.get, "/tls/allowed?domain=\(Self.host)"),
                try await api.request(.get, "/tls/allowed?domain=snapshots.test"),
                try await api.request(.get, "/tls/allowed?domain=pending.example"),
                try await api.request(.get, "/tls/allowed?domain=unknown.example"),
                try await api.request(.get, "/tls/allowed?domain=127.0.0.1"),
                try await api.request(.get, "/tls/allowed"),
            ]
        }
        try await dns.stop()
        #expect(replies.map(\.status) == [.ok, .ok, .notFound, .notFound, .notFound, .notFound])
    }
}
