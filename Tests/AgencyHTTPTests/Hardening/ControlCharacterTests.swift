import Foundation
import Testing

/// Issue 10, defect 4: text was cut at a NUL byte (`"a\u0000b"` stored as `"a"`). Control characters
/// are now refused with a 422 naming the field, and nothing is written.
@Suite("Control characters in text are refused")
struct ControlCharacterTests {
    @Test func nulInAssetNameIs422() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let reply = try await api.request(.post, "/api/3/tags", apiToken: token, raw: #"{"tag":{"tag":"a\u0000b"}}"#)
            #expect(reply.status == .unprocessableContent)
            #expect((reply.firstV3Error?["source"] as? [String: String])?["pointer"] == "/tag/tag")
            let tags = try await api.request(.get, "/api/3/tags", apiToken: token)
            #expect((tags.json["meta"] as? [String: String])?["total"] == "0")
        }
    }

    /// The email that passed validation and read back as "x".
    @Test func nulInEmailIs422() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let reply = try await api.request(.post, "/api/3/contacts", apiToken: token, raw: #"{"contact":{"email":"x\u0000@example.com"}}"#)
            #expect(reply.status == .unprocessableContent)
            #expect((reply.firstV3Error?["source"] as? [String: String])?["pointer"] == "/contact/email")
            let contacts = try await api.request(.get, "/api/3/contacts", apiToken: token)
            #expect((contacts.json["meta"] as? [String: String])?["total"] == "0")
        }
    }

    /// Other C0 controls and DEL too, in the agency API; an escaped backslash before `u0000` is plain text.
    @Test func otherControlsAndEscapes() async throws {
        let service = try await TestService()
        try await service.test { api in
            for name in [#"a\u0007b"#, #"a\u001Fb"#, #"a\u007fb"#, #"\u0000"#] {
                let reply = try await api.request(.post, "/v1/sandboxes", agency: service.agencyA, raw: #"{"name":"\#(name)"}"#)
                #expect(reply.status == .unprocessableContent, "\(name)")
                #expect((reply.json["error"] as? [String: String])?["field"] == "name")
            }
            let literal = try await api.request(.post, "/v1/sandboxes", agency: service.agencyA, raw: #"{"name":"back\\u0000slash\ttab"}"#)
            #expect(literal.status == .created, "\(literal.text)")
            #expect(literal.json["name"] as? String == "back\\u0000slash\ttab")
        }
    }

    /// Tabs and new lines in an HTML body are kept byte for byte.
    @Test func tabsAndNewLinesAreKept() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let html = "<p>\tHello\r\nworld</p>"
            let reply = try await api.request(.post, "/api/3/templates", apiToken: token, json: ["template": ["name": "T", "html": html]])
            #expect(reply.status == .created, "\(reply.text)")
            #expect((reply.json["template"] as? [String: Any])?["html"] as? String == html)
        }
    }
}
