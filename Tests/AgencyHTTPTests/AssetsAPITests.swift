import AgencyDomain
import Foundation
import Testing

@Suite("Per-account API: assets and their references")
struct AssetsAPITests {
    /// Asset replies are written from the stored text with `id`, `cdate`, `udate` (and a pipeline's
    /// `stages`) added; they must be exactly the canonical JSON of the same values, for every kind.
    @Test func repliesAreTheCanonicalJSONOfTheirValues() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
            // The fixture has no user groups: one, and a list it sees.
            _ = try await api.request(.post, "/api/3/groups", apiToken: token, json: ["group": ["title": "Admins"]])
            _ = try await api.request(.post, "/api/3/listGroups", apiToken: token, json: ["listGroup": ["listid": "1", "groupid": "1"]])
            _ = try await api.request(.post, "/api/3/fieldRels", apiToken: token, json: ["fieldRel": ["field": "1", "relid": "0"]])
            for kind in AssetKind.allCases {
                let list = try await api.request(.get, "/api/3/\(kind.spec.path)?orders[name]=DESC", apiToken: token)
                #expect(list.status == .ok)
                #expect(try JSONValue.parse(list.text).canonicalText() == list.text, "\(kind)")
                let records = (list.json[kind.spec.path] as? [[String: Any]]) ?? []
                #expect(!records.isEmpty, "\(kind)")
                let id = try #require(records.first?["id"] as? String)
                let one = try await api.request(.get, "/api/3/\(kind.spec.path)/\(id)", apiToken: token)
                #expect(try JSONValue.parse(one.text).canonicalText() == one.text, "\(kind)")
                #expect((one.json[kind.spec.envelope] as? [String: Any])?["id"] as? String == id)
            }
        }
    }

    /// A minimal valid body for each kind, creating what it must reference first.
    static func minimalBody(_ kind: AssetKind, api: APIClient, token: String) async throws -> [String: Any] {
        func create(_ path: String, _ envelope: String, _ body: [String: Any]) async throws -> String {
            let reply = try await api.request(.post, "/api/3/\(path)", apiToken: token, json: [envelope: body])
            return (reply.json[envelope] as? [String: Any])?["id"] as? String ?? "?"
        }
        switch kind {
        case .tag: return ["tag": "VIP"]
        case .list: return ["name": "Members"]
        case .field: return ["title": "Goal"]
        case .dealGroup: return ["title": "Memberships"]
        case .dealStage: return ["title": "Won", "group": try await create("dealGroups", "dealGroup", ["title": "P"])]
        case .template: return ["name": "Welcome", "html": "<p>Hi</p>"]
        case .message: return ["subject": "Hello"]
        case .campaign: return ["name": "November", "lists": [try await create("lists", "list", ["name": "L"])]]
        case .automation: return ["name": "Welcome", "trigger": ["type": "contact_added"]]
        case .form: return ["name": "Sign-up"]
        case .segment: return ["name": "VIPs", "conditions": ["match": "all", "conditions": [["tag": try await create("tags", "tag", ["tag": "T"]), "op": "has"]]]]
        case .score: return ["name": "Engagement"]
        case .group: return ["title": "Admins"]
        case .listGroup:
            return ["listid": try await create("lists", "list", ["name": "L"]), "groupid": try await create("groups", "group", ["title": "G"])]
        case .fieldRel: return ["field": try await create("fields", "field", ["title": "F"]), "relid": 0]
        }
    }

    /// Every kind can be created, read, listed, updated (partially) and deleted in v3's shapes.
    @Test(arguments: AssetKind.allCases)
    func crudForEachKind(_ kind: AssetKind) async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let spec = kind.spec
            let created = try await api.request(.post, "/api/3/\(spec.path)", apiToken: token, json: [spec.envelope: try await Self.minimalBody(kind, api: api, token: token)])
            #expect(created.status == .created, "\(created.text)")
            let record = try #require(created.json[spec.envelope] as? [String: Any])
            let id = try #require(record["id"] as? String)
            #expect(record["cdate"] is String)

            let shown = try await api.request(.get, "/api/3/\(spec.path)/\(id)", apiToken: token)
            #expect((shown.json[spec.envelope] as? [String: Any])?["id"] as? String == id)

            let listed = try await api.request(.get, "/api/3/\(spec.path)", apiToken: token)
            #expect((listed.json[spec.path] as? [[String: Any]])?.contains { $0["id"] as? String == id } == true)
            #expect((listed.json["meta"] as? [String: String])?["total"] != nil)

            // A list group's name is its list: it is "renamed" to another list.
            let newName = kind == .listGroup || kind == .fieldRel
                ? (try await api.request(.post, "/api/3/lists", apiToken: token, json: ["list": ["name": "Other"]]).json["list"] as? [String: Any])?["id"] as? String ?? "?"
                : "Renamed"
            let renamed = try await api.request(.put, "/api/3/\(spec.path)/\(id)", apiToken: token, json: [spec.envelope: [spec.nameField: newName]])
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect((renamed.json[spec.envelope] as? [String: Any])?[spec.nameField] as? String == newName)

            let deleted = try await api.request(.delete, "/api/3/\(spec.path)/\(id)", apiToken: token)
            #expect(deleted.status == .ok)
            #expect(try await api.request(.get, "/api/3/\(spec.path)/\(id)", apiToken: token).status == .notFound)
        }
    }

    /// A reference to a missing id, or to another account's asset, is 422 naming the field; nothing is written.
    @Test func badReferencesAreRefused() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let (_, otherToken) = try await api.sandboxWithToken(agency: service.agencyA)
            _ = try await api.request(.post, "/api/3/tags", apiToken: otherToken, json: ["tag": ["tag": "Elsewhere"]])

            let automation: [String: Any] = ["automation": [
                "name": "Broken", "trigger": ["type": "contact_added"],
                "steps": [["type": "wait", "days": 1], ["type": "add_tag", "tag": "1"]],
            ]]
            let refused = try await api.request(.post, "/api/3/automations", apiToken: token, json: automation)
            #expect(refused.status == .unprocessableContent)
            #expect((refused.firstV3Error?["source"] as? [String: String])?["pointer"] == "/automation/steps/1/tag")
            let none = try await api.request(.get, "/api/3/automations", apiToken: token)
            #expect(none.json["meta"] as? [String: String] == ["total": "0"])

            let form = try await api.request(.post, "/api/3/forms", apiToken: token, json: ["form": ["name": "F", "lists": ["7"]]])
            #expect((form.firstV3Error?["source"] as? [String: String])?["pointer"] == "/form/lists/0")

            let notAnID = try await api.request(.post, "/api/3/dealStages", apiToken: token, json: ["dealStage": ["title": "S", "group": "abc"]])
            #expect((notAnID.firstV3Error?["source"] as? [String: String])?["pointer"] == "/dealStage/group")

            let unknownStep = try await api.request(.post, "/api/3/automations", apiToken: token, json: ["automation": ["name": "X", "trigger": ["type": "contact_added"], "steps": [["type": "teleport"]]]])
            #expect((unknownStep.firstV3Error?["source"] as? [String: String])?["pointer"] == "/automation/steps/0/type")
        }
    }

    /// A referenced asset cannot be deleted: 409 lists who uses it. Once the reference is gone, it can.
    @Test func referencedAssetsCannotBeDeleted() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
            let refused = try await api.request(.delete, "/api/3/tags/2", apiToken: token)
            #expect(refused.status == .conflict)
            #expect(refused.firstV3Error?["code"] as? String == "asset_in_use")
            let detail = try #require(refused.firstV3Error?["detail"] as? String)
            #expect(detail.contains("automation 1 \"Trial follow-up\" at /trigger/tag"))
            #expect(detail.contains("form 1 \"Free trial sign-up\" at /tags/0"))
            #expect(try await api.request(.get, "/api/3/tags/2", apiToken: token).status == .ok)

            let references = try await api.request(.get, "/api/3/tags/2/references", apiToken: token)
            let usedBy = try #require(references.json["usedBy"] as? [[String: String]])
            #expect(Set(usedBy.map { "\($0["kind"]!)/\($0["id"]!)" }) == ["automations/1", "forms/1"])

            // Take the tag out of both, then it deletes.
            _ = try await api.request(.put, "/api/3/forms/1", apiToken: token, json: ["form": ["tags": ["4"]]])
            _ = try await api.request(.put, "/api/3/automations/1", apiToken: token, json: ["automation": ["trigger": ["type": "contact_added"]]])
            #expect(try await api.request(.delete, "/api/3/tags/2", apiToken: token).status == .ok)
        }
    }

    /// What an automation uses is listed with the pointer inside it.
    @Test func referencesShowWhatAnAssetUses() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
            let references = try await api.request(.get, "/api/3/automations/1/references", apiToken: token)
            let uses = try #require(references.json["uses"] as? [[String: String]])
            #expect(Set(uses.map { $0["pointer"]! }) == ["/trigger/tag", "/steps/0/template", "/steps/1/stage", "/steps/3/segment", "/steps/3/yes/0/tag", "/steps/3/no/0/message", "/steps/4/stage"])
            let usedBy = try #require(references.json["usedBy"] as? [[String: String]])
            #expect(usedBy.map { $0["kind"]! + "/" + $0["id"]! } == ["automations/2"])
        }
    }

    /// Unique values (tag names, any case) are refused twice; v3 list parameters filter, search, order and page.
    @Test func uniquenessAndListParameters() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
            let duplicate = try await api.request(.post, "/api/3/tags", apiToken: token, json: ["tag": ["tag": "vip"]])
            #expect(duplicate.status == .unprocessableContent)
            #expect((duplicate.firstV3Error?["source"] as? [String: String])?["pointer"] == "/tag/tag")

            let searched = try await api.request(.get, "/api/3/tags?search=Mem", apiToken: token)
            #expect((searched.json["tags"] as? [[String: Any]])?.compactMap { $0["tag"] as? String } == ["New Member"])
            let ordered = try await api.request(.get, "/api/3/tags?orders%5Bname%5D=DESC&limit=2&offset=1", apiToken: token)
            #expect((ordered.json["tags"] as? [[String: Any]])?.compactMap { $0["tag"] as? String } == ["Trial Class", "New Member"])
            #expect(ordered.json["meta"] as? [String: String] == ["total": "4"])
            let stages = try await api.request(.get, "/api/3/dealStages?filters%5Bd_groupid%5D=1", apiToken: token)
            #expect((stages.json["meta"] as? [String: String])?["total"] == "3")
            let pipeline = try await api.request(.get, "/api/3/dealGroups/1", apiToken: token)
            #expect((pipeline.json["dealGroup"] as? [String: Any])?["stages"] as? [String] == ["1", "2", "3"])
            let empty = try await api.request(.get, "/api/3/scores?search=nothing", apiToken: token)
            #expect(empty.json["scores"] as? [Any] != nil)
            #expect(empty.json["meta"] as? [String: String] == ["total": "0"])
        }
    }
}
