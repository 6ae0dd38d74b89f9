import Foundation
import Testing

/// v3's list parameters: `filters[field]`, `filters[field][op]`, `search`, `orders[…]`; unknown ones ignored.
@Suite("Per-account API: search and filters on lists")
struct ListFilterAPITests {
    func names(_ reply: APIClient.Reply, _ key: String, _ field: String) -> [String] {
        (reply.json[key] as? [[String: Any]])?.compactMap { $0[field] as? String } ?? []
    }

    @Test func tagFiltersWithOperators() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)  // New Member, Trial Class, VIP, Lead
            let get = { (query: String) in try await api.request(.get, "/api/3/tags?" + query, apiToken: token) }
            #expect(names(try await get("filters[search][eq]=VIP"), "tags", "tag") == ["VIP"])
            #expect(names(try await get("filters%5Bsearch%5D%5Beq%5D=vip"), "tags", "tag") == ["VIP"])
            #expect(names(try await get("filters[search][contains]=e"), "tags", "tag") == ["New Member", "Lead"])
            #expect(names(try await get("filters[search][starts_with]=t"), "tags", "tag") == ["Trial Class"])
            #expect(names(try await get("filters[search][neq]=VIP"), "tags", "tag") == ["New Member", "Trial Class", "Lead"])
            #expect(names(try await get("filters[search][lt]=M"), "tags", "tag") == ["Lead"])
            #expect(names(try await get("search=member"), "tags", "tag") == ["New Member"])
            #expect(names(try await get("filters[tagType]=contact&orders[name]=DESC"), "tags", "tag") == ["VIP", "Trial Class", "New Member", "Lead"])
            // Unknown filters and operators are ignored, as v3 does: never a 400 or a 500.
            let ignored = try await get("filters[nonsense]=1&filters[search][between]=a&filters[]=x&orders[nothing]=ASC")
            #expect(ignored.status == .ok)
            #expect(ignored.json["meta"] as? [String: String] == ["total": "4"])
            #expect(try await get("filters[search][contains]=100%25").json["meta"] as? [String: String] == ["total": "0"])
        }
    }

    @Test func listsByNameAndContactsBySearch() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (account, token) = try await api.fitnessSandbox(agency: service.agencyA)
            #expect(names(try await api.request(.get, "/api/3/lists?filters[name]=Newsletter", apiToken: token), "lists", "name") == ["Newsletter"])
            _ = try await api.importCSV(
                "email,first_name,last_name\nann@example.com,Ann,Smith\nbob@sample.org,Bob,Annand\ncat@example.com,Cat,Jones\n", account: account, agency: service.agencyA
            )
            let found = try await api.request(.get, "/api/3/contacts?search=ann&status=-1", apiToken: token)
            #expect(names(found, "contacts", "email") == ["ann@example.com", "bob@sample.org"])
            #expect(found.json["meta"] as? [String: String] == ["total": "2"])
            #expect(names(try await api.request(.get, "/api/3/contacts?search=sample.org", apiToken: token), "contacts", "email") == ["bob@sample.org"])
            #expect(names(try await api.request(.get, "/api/3/contacts?status=-1", apiToken: token), "contacts", "email").count == 3)
        }
    }
}
