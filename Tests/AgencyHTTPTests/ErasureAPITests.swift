import Foundation
import Testing

/// Unsubscribes keep their history; erasure leaves nothing personal, anywhere in the file.
@Suite("Contacts: unsubscribe history and erasure")
struct ErasureAPITests {
    /// Unsubscribing sets status 2 on the list and keeps when it was subscribed and when not.
    @Test func unsubscribingKeepsTheHistory() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.fitnessSandbox(agency: service.agencyA)
            _ = try await api.createContact("ann@example.com", apiToken: token)
            for status in [1, 2, 1, 2] {
                let reply = try await api.request(.post, "/api/3/contactLists", apiToken: token, json: ["contactList": ["contact": "1", "list": "2", "status": status]])
                #expect((reply.json["contactList"] as? [String: Any])?["status"] as? String == String(status))
            }
            let history = try await api.request(.get, "/api/3/contacts/1/listHistory", apiToken: token)
            let entries = try #require(history.json["listHistory"] as? [[String: String]])
            #expect(entries.map { $0["status"] } == ["1", "2", "1", "2"])
            #expect(entries.allSatisfy { $0["list"] == "2" && $0["date"]?.isEmpty == false })
            #expect(try await api.request(.get, "/api/3/contacts/9/listHistory", apiToken: token).status == .notFound)
        }
    }

    /// After erasure the contact reads DELETED everywhere, is unsubscribed, cannot be mailed or given
    /// its data back, the audit says when and by whom, and no personal byte is left in the database
    /// file or its WAL, the outbox's copy of the address included.
    @Test func erasureLeavesNoPersonalByteInTheFile() async throws {
        let service = try await TestService()
        let personal = ["greta.erasable@example.org", "Greta", "Erasable-Lastname", "+43 664 9999 123", "allergic to peanuts"]
        let account = try await service.test { api in
            let created = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["name": "Client", "kind": "paid"])
            let account = try #require(created.json["id"] as? Int)
            let token = try await api.accountToken(account, agency: service.agencyA)
            _ = try await api.request(.put, "/v1/accounts/\(account)/bundle", agency: service.agencyA, data: try Fixtures.fitnessStudio)
            let csv = "email,first_name,last_name,phone,tags,lists,Fitness Goal\n\(personal[0]),\(personal[1]),\(personal[2]),\(personal[3]),VIP,Newsletter,\(personal[4])\n"
                + "keep@example.com,Keep,,,,Newsletter,\n"
            #expect(try await api.importCSV(csv, account: account, agency: service.agencyA).json["created"] as? Int == 2)
            let sent = try await api.request(.post, "/api/3/sends", apiToken: token, json: ["send": ["subject": "Hi", "html": "<p>Hi</p>", "contacts": ["1"]]])
            #expect(sent.status == .created)

            let erased = try await api.request(.post, "/v1/accounts/\(account)/contacts/erase", agency: service.agencyA, json: ["email": "GRETA.erasable@example.org"])
            #expect(erased.status == .ok, "\(erased.text)")
            #expect(erased.json["contact_id"] as? Int == 1)
            #expect((erased.json["erased_by"] as? String)?.hasPrefix("agency ") == true)

            let contact = try #require(try await api.request(.get, "/api/3/contacts/1", apiToken: token).json["contact"] as? [String: Any])
            #expect(contact["email"] as? String == "deleted-1@erased.invalid")
            #expect(contact["firstName"] as? String == "DELETED")
            #expect(contact["phone"] as? String == "DELETED")
            let values = try await api.request(.get, "/api/3/contacts/1/fieldValues", apiToken: token)
            #expect((values.json["fieldValues"] as? [[String: Any]])?.first?["value"] as? String == "DELETED")
            let history = try await api.request(.get, "/api/3/contacts/1/listHistory", apiToken: token)
            #expect((history.json["listHistory"] as? [[String: String]])?.map { $0["status"] } == ["1", "2"])

            // Never mailed again, never given data back, never resubscribed.
            let mail = try await api.request(.post, "/api/3/sends", apiToken: token, json: ["send": ["subject": "Again", "html": "x", "contacts": ["1"]]])
            #expect(mail.status == .conflict)
            let resubscribe = try await api.request(.post, "/api/3/contactLists", apiToken: token, json: ["contactList": ["contact": "1", "list": "2", "status": 1]])
            #expect(resubscribe.status == .conflict)
            let edit = try await api.request(.put, "/api/3/contacts/1", apiToken: token, json: ["contact": ["firstName": "Greta"]])
            #expect(edit.status == .conflict)
            let tag = try await api.request(.post, "/api/3/contactTags", apiToken: token, json: ["contactTag": ["contact": "1", "tag": "1"]])
            #expect(tag.status == .conflict)

            // Erasing again changes nothing and answers with the first record.
            let twice = try await api.request(.post, "/api/3/contacts/1/erase", apiToken: token)
            #expect(twice.status == .ok)
            #expect((twice.json["contact"] as? [String: Any])?["email"] as? String == "deleted-1@erased.invalid")
            return account
        }
        let erasures = try await service.database.contactErasures(accountID: Int64(account))
        #expect(erasures.count == 1)
        var stored = Data()
        for suffix in ["", "-wal"] {
            stored.append((try? Data(contentsOf: URL(fileURLWithPath: service.databasePath + suffix))) ?? Data())
        }
        #expect(stored.count > 0)
        #expect(stored.range(of: Data("keep@example.com".utf8)) != nil, "the test reads the bytes the database holds")
        for value in personal {
            #expect(stored.range(of: Data(value.utf8)) == nil, "'\(value)' survived erasure in the database file")
        }
    }

    /// A later import of an erased address is refused, unless the import is told to readmit it.
    @Test func anErasedAddressComesBackOnlyWhenAsked() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (account, token) = try await api.sandboxWithToken(agency: service.agencyA)
            _ = try await api.createContact("gone@example.com", apiToken: token)
            #expect(try await api.request(.post, "/api/3/contacts/1/erase", apiToken: token).status == .ok)

            let again = try await api.importCSV("email,first_name\nGone@Example.com,Back\n", account: account, agency: service.agencyA)
            #expect((again.json["failures"] as? [[String: Any]])?.first?["code"] as? String == "erased_contact")
            let bulk = try await api.request(.post, "/api/3/import/bulk_import", apiToken: token, json: ["contacts": [["email": "gone@example.com"]]])
            let batch = try #require(bulk.json["batchId"] as? String)
            let info = try await api.request(.get, "/api/3/import/info?batchId=\(batch)", apiToken: token)
            #expect((info.json["failure"] as? [String])?.first?.contains("erased_contact") == true)
            #expect(try await api.request(.get, "/api/3/contacts", apiToken: token).json["meta"] as? [String: String] == ["total": "1"])

            let readmitted = try await api.importCSV("email,first_name\ngone@example.com,Back\n", account: account, agency: service.agencyA, query: "readmit_erased=true")
            #expect(readmitted.json["created"] as? Int == 1, "\(readmitted.text)")
            let contacts = try await api.request(.get, "/api/3/contacts?email=gone@example.com", apiToken: token)
            #expect((contacts.json["contacts"] as? [[String: Any]])?.first?["firstName"] as? String == "Back")
            #expect((contacts.json["contacts"] as? [[String: Any]])?.first?["id"] as? String == "2")
        }
    }

    /// A snapshot taken after an erasure leaves the erased contact out, with its links; accounts
    /// made from it never receive a DELETED contact.
    @Test func snapshotsLeaveErasedContactsOut() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (sandbox, token) = try await api.fitnessSandbox(agency: service.agencyA)
            _ = try await api.importCSV("email,tags,lists\nann@example.com,VIP,Members\nbob@example.com,VIP,Members\n", account: sandbox, agency: service.agencyA)
            _ = try await api.request(.post, "/api/3/deals", apiToken: token, json: ["deal": ["title": "Bob's plan", "contact": "2", "stage": "1"]])
            #expect(try await api.request(.post, "/api/3/contacts/2/erase", apiToken: token).status == .ok)
            let snapshot = try await api.request(.post, "/v1/snapshots", agency: service.agencyA, json: ["sandbox_id": sandbox, "name": "With contacts", "include": ["contacts", "deals"]])
            let snapshotID = try #require(snapshot.json["id"] as? Int)
            let client = try await api.request(.post, "/v1/accounts", agency: service.agencyA, json: ["kind": "paid", "snapshot_id": snapshotID, "name": "Client"])
            let clientID = try #require(client.json["id"] as? Int, "\(client.text)")
            let clientToken = try await api.accountToken(clientID, agency: service.agencyA)
            let contacts = try await api.request(.get, "/api/3/contacts", apiToken: clientToken)
            #expect((contacts.json["contacts"] as? [[String: Any]])?.compactMap { $0["email"] as? String } == ["ann@example.com"])
            #expect(try await api.request(.get, "/api/3/contactTags", apiToken: clientToken).json["meta"] as? [String: String] == ["total": "1"])
            let deal = try await api.request(.get, "/api/3/deals/1", apiToken: clientToken)
            #expect((deal.json["deal"] as? [String: Any])?["title"] as? String == "Bob's plan")
            #expect((deal.json["deal"] as? [String: Any])?["contact"] == nil || (deal.json["deal"] as? [String: Any])?["contact"] is NSNull)
            let verified = try await api.request(.post, "/v1/snapshots/\(snapshotID)/verify", agency: service.agencyA)
            #expect(verified.json["ok"] as? Bool == true, "\(verified.text)")
        }
    }
}
