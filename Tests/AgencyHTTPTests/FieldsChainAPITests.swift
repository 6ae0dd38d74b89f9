import Foundation
import AgencyDomain
import Testing

/// Custom fields as v3 writes them: `fields` → `fieldRels` → `fieldOption/bulk` → `fieldValues`.
@Suite("Per-account API: fields, fieldRels, fieldOptions, fieldValues")
struct FieldsChainAPITests {
    @Test func theFieldsChainAsV3WritesIt() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, token) = try await api.fitnessSandbox(agency: service.agencyA)
            let created = try await api.request(.post, "/api/3/fields", apiToken: token, json: ["field": ["title": "Shoe size", "type": "dropdown"]])
            let field = try #require((created.json["field"] as? [String: Any])?["id"] as? String)
            #expect(field == "4")

            // On every list, then on one; a list that does not exist is refused.
            let everywhere = try await api.request(.post, "/api/3/fieldRels", apiToken: token, json: ["fieldRel": ["field": Int(field)!, "relid": 0]])
            #expect(everywhere.status == .created, "\(everywhere.text)")
            #expect((everywhere.json["fieldRel"] as? [String: Any])?["relid"] as? String == "0")
            #expect(try await api.request(.post, "/api/3/fieldRels", apiToken: token, json: ["fieldRel": ["field": field, "relid": "2"]]).status == .created)
            let noList = try await api.request(.post, "/api/3/fieldRels", apiToken: token, json: ["fieldRel": ["field": field, "relid": "99"]])
            #expect(noList.status == .unprocessableContent)
            let rels = try await api.request(.get, "/api/3/fieldRels?filters[field]=\(field)", apiToken: token)
            #expect((rels.json["fieldRels"] as? [[String: Any]])?.compactMap { $0["relid"] as? String } == ["0", "2"])
            #expect(try await api.request(.delete, "/api/3/lists/2", apiToken: token).status == .conflict)
            let underField = try await api.request(.get, "/api/3/fields/\(field)/fieldRels", apiToken: token)
            #expect((underField.json["fieldRels"] as? [[String: Any]])?.compactMap { $0["relid"] as? String } == ["0", "2"])
            #expect(underField.json["meta"] as? [String: String] == ["total": "2"])
            #expect(try await api.request(.get, "/api/3/fields/99/fieldRels", apiToken: token).status == .notFound)

            // Options in bulk: the same stored field as writing them inline.
            let bulk = try await api.request(.post, "/api/3/fieldOption/bulk", apiToken: token, json: ["fieldOptions": [
                ["field": field, "label": "Small", "value": "s", "orderid": 1, "isdefault": false],
                ["field": Int(field)!, "label": "Large", "value": "l"],
            ]])
            #expect(bulk.status == .created, "\(bulk.text)")
            let added = try #require(bulk.json["fieldOptions"] as? [[String: Any]])
            #expect(added.compactMap { $0["label"] as? String } == ["Small", "Large"])
            #expect(added.compactMap { $0["id"] as? String } == ["40001", "40002"])
            let options = try await api.request(.get, "/api/3/fields/\(field)/options", apiToken: token)
            #expect((options.json["fieldOptions"] as? [[String: Any]])?.compactMap { $0["value"] as? String } == ["s", "l"])
            #expect(options.json["meta"] as? [String: String] == ["total": "2"])
            let inline = try await api.request(.post, "/api/3/fields", apiToken: token, json: ["field": [
                "title": "Shoe size (inline)", "type": "dropdown", "options": [["label": "Small", "value": "s"], ["label": "Large", "value": "l"]],
            ]])
            let shown = try await api.request(.get, "/api/3/fields/\(field)", apiToken: token)
            #expect(
                try JSONValue.parse(shown.text).objectValue?["field"]?.objectValue?["options"]
                    == (try JSONValue.parse(inline.text).objectValue?["field"]?.objectValue?["options"])
            )
            let noField = try await api.request(.post, "/api/3/fieldOption/bulk", apiToken: token, json: ["fieldOptions": [["field": "99", "label": "X"]]])
            #expect(noField.status == .unprocessableContent)
            #expect((noField.firstV3Error?["source"] as? [String: String])?["pointer"] == "/fieldOptions/0/field")

            // Values, filtered as v3 documents.
            _ = try await api.createContact("ann@example.com", apiToken: token)
            _ = try await api.createContact("bob@example.com", apiToken: token)
            for contact in ["1", "2"] {
                _ = try await api.request(.post, "/api/3/fieldValues", apiToken: token, json: ["fieldValue": ["contact": contact, "field": field, "value": "s"]])
                _ = try await api.request(.post, "/api/3/fieldValues", apiToken: token, json: ["fieldValue": ["contact": contact, "field": "2", "value": "Run"]])
            }
            let values = { (query: String) in try await api.request(.get, "/api/3/fieldValues?" + query, apiToken: token) }
            #expect(try await values("filters[fieldid]=\(field)").json["meta"] as? [String: String] == ["total": "2"])
            let one = try await values("filters[fieldid]=\(field)&filters[contactid]=2")
            #expect((one.json["fieldValues"] as? [[String: Any]])?.map { "\($0["contact"]!)/\($0["field"]!)" } == ["2/\(field)"])
            #expect(try await values("filters[contactid]=999").json["meta"] as? [String: String] == ["total": "0"])
            #expect(try await values("filters[fieldid]=abc").json["meta"] as? [String: String] == ["total": "0"])
            #expect(try await api.request(.get, "/api/3/contacts/999/fieldValues", apiToken: token).status == .notFound)

            // The relations travel with a snapshot, references intact.
            let snapshot = try await api.request(.post, "/v1/snapshots", agency: service.agencyA, json: ["sandbox_id": sandbox, "name": "Fields"])
            let client = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["kind": "paid", "snapshot_id": try #require(snapshot.json["id"] as? Int), "name": "C"])
            let clientToken = try await api.accountToken(try #require(client.json["id"] as? Int), agency: service.agencyA)
            let copied = try await api.request(.get, "/api/3/fieldRels", apiToken: clientToken)
            #expect((copied.json["fieldRels"] as? [[String: Any]])?.compactMap { "\($0["field"]!):\($0["relid"]!)" } == ["\(field):0", "\(field):2"])
            let copiedOptions = try await api.request(.get, "/api/3/fields/\(field)/options", apiToken: clientToken)
            #expect(copiedOptions.json["meta"] as? [String: String] == ["total": "2"])
        }
    }
}

extension FieldsChainAPITests {
    /// A bundle may give a field the largest id there is; its options' ids are written, not computed,
    /// so reading them cannot overflow.
    @Test func optionIdsOfTheLargestFieldId() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let bundle = #"{"format": "agency-snapshots.bundle/1", "assets": {"fields": [{"id": "9223372036854775807", "title": "Size", "options": [{"label": "S", "value": "s"}]}]}}"#
            let applied = try await api.request(.put, "/v1/accounts/\(sandbox)/bundle", agency: service.agencyA, data: Data(bundle.utf8))
            #expect(applied.status == .ok, "\(applied.text)")
            let options = try await api.request(.get, "/api/3/fields/9223372036854775807/options", apiToken: token)
            #expect(options.status == .ok)
            #expect((options.json["fieldOptions"] as? [[String: Any]])?.first?["id"] as? String == "92233720368547758070001")
        }
    }
}
