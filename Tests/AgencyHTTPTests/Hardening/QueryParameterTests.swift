import Foundation
import Testing

/// Issue 10, defect 2: a quote in a filter key went into a JSON path unescaped (a 500). Any
/// characters in any query parameter now give a 4xx or are ignored.
@Suite("Query parameters never cause a 5xx")
struct QueryParameterTests {
    /// A filter on a field the kind does not have is ignored, as v3 does.
    @Test func quoteInFilterKeyIsIgnored() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
            let reply = try await api.request(.get, "/api/3/tags?filters%5Btag%22%5D=1", apiToken: token)
            #expect(reply.status == .ok, "\(reply.text)")
            let raw = try await api.request(.get, "/api/3/tags?filters[tag\"]=1", apiToken: token)
            #expect(raw.status == .ok, "\(raw.text)")
        }
    }

    /// Known filters still narrow the list.
    @Test func knownFilterStillFilters() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            _ = try await api.request(.post, "/api/3/tags", apiToken: token, json: ["tag": ["tag": "VIP"]])
            _ = try await api.request(.post, "/api/3/tags", apiToken: token, json: ["tag": ["tag": "Lead"]])
            let reply = try await api.request(.get, "/api/3/tags?filters[tag]=VIP", apiToken: token)
            #expect((reply.json["meta"] as? [String: String])?["total"] == "1")
        }
    }

    /// Hostile keys and values on every list endpoint: quotes, brackets, NUL, SQL, huge numbers.
    @Test func hostileParametersAreNever5xx() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
            let nasty = ["%22", "%27", "%5B", "%5D", "%00", "%27%3B%20DROP%20TABLE%20assets%3B--", "1e19", "-1", "99999999999999999999", "%E2%80%AE", "%FF", "$..*", "%5C"]
            let perAccount = ["tags", "lists", "fields", "automations", "contacts", "contactTags", "contactLists", "fieldValues", "deals", "sends", "dealStages"]
            for path in perAccount {
                for value in nasty {
                    for key in ["filters%5B\(value)%5D", "orders%5B\(value)%5D", "search", "email", "listid", "limit", "offset", value] {
                        let reply = try await api.request(.get, "/api/3/\(path)?\(key)=\(value)", apiToken: token)
                        #expect(reply.status.code < 500, "/api/3/\(path)?\(key)=\(value): \(reply.text)")
                    }
                }
            }
            for path in ["accounts", "snapshots"] {
                for value in nasty {
                    for key in ["kind", "name", "sandbox_id", "limit", "offset", value] {
                        let reply = try await api.request(.get, "/v1/\(path)?\(key)=\(value)", agency: service.agencyA)
                        #expect(reply.status.code < 500, "/v1/\(path)?\(key)=\(value): \(reply.text)")
                    }
                }
            }
        }
    }

    /// `offset=-1` and `limit=abc` are refused naming the parameter instead of silently clamped.
    @Test func badPagingIs422() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let offset = try await api.request(.get, "/api/3/tags?offset=-1", apiToken: token)
            #expect(offset.status == .unprocessableContent)
            #expect((offset.firstV3Error?["source"] as? [String: String])?["pointer"] == "/offset")
            let limit = try await api.request(.get, "/v1/accounts?limit=abc", agency: service.agencyA)
            #expect(limit.status == .unprocessableContent)
            #expect((limit.json["error"] as? [String: String])?["field"] == "limit")
            let sandbox = try await api.request(.get, "/v1/snapshots?sandbox_id=abc", agency: service.agencyA)
            #expect(sandbox.status == .unprocessableContent)
            let clamped = try await api.request(.get, "/v1/accounts?limit=1000", agency: service.agencyA)
            #expect((clamped.json["meta"] as? [String: Int])?["limit"] == 100)
        }
    }
}
