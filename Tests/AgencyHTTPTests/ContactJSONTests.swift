import AgencyDomain
@testable import AgencyHTTP
import Foundation
import Testing

@Suite("Contact replies written by hand")
struct ContactJSONTests {
    static let hostile: [String] = [
        "",
        #"quote " backslash \ slash / </script>"#,
        String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }) + "\u{7F}",
        "émoji 🏋️‍♀️ \u{2028} \u{2029} \u{FEFF} 中文",
        String(repeating: "long ", count: 2_000),
    ]

    static func contact(_ id: Int64, _ text: String) -> Contact {
        Contact(id: id, email: "p\(id)@example.com", firstName: text, lastName: text + "!", phone: text, createdAt: "2026-11-23T10:00:00Z", updatedAt: text)
    }

    /// What `JSONReply` writes for the same contact through Foundation's encoder.
    static func encoded(_ contact: Contact) -> [String: String] {
        [
            "id": String(contact.id), "email": contact.email, "firstName": contact.firstName, "lastName": contact.lastName,
            "phone": contact.phone, "cdate": contact.createdAt, "udate": contact.updatedAt,
        ]
    }

    /// A page of contacts and one contact: byte for byte the encoder's output, for every hostile string.
    @Test func sameBytesAsTheEncoder() throws {
        let contacts = Self.hostile.enumerated().map { Self.contact(Int64($0.offset + 1), $0.element) }
        struct Page: Encodable {
            var contacts: [[String: String]]
            var meta: [String: String]
        }
        let expected = try JSONReply.encoder.encode(Page(contacts: contacts.map(Self.encoded), meta: ["total": "1234"]))
        #expect(ContactJSON.list(contacts, total: 1234) == Array(expected))
        #expect(ContactJSON.list([], total: 0) == Array(try JSONReply.encoder.encode(Page(contacts: [], meta: ["total": "0"]))))
        for contact in contacts {
            #expect(ContactJSON.one(contact) == Array(try JSONReply.encoder.encode(["contact": Self.encoded(contact)])))
        }
    }

    /// And what it writes is JSON that reads back to the same strings.
    @Test func readsBack() throws {
        let contacts = Self.hostile.enumerated().map { Self.contact(Int64($0.offset + 1), $0.element) }
        let page = try #require(try JSONSerialization.jsonObject(with: Data(ContactJSON.list(contacts, total: 5))) as? [String: Any])
        let firstNames = (page["contacts"] as? [[String: String]])?.map { $0["firstName"] }
        #expect(firstNames == Self.hostile)
    }
}
