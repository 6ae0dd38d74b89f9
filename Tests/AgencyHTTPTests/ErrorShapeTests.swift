import Foundation
import Testing

@Suite("Error shapes")
struct ErrorShapeTests {
    /// Malformed JSON is 400 malformed_json; a field of the wrong type is 422 naming the field.
    @Test func malformedAndMistypedBodies() async throws {
        let service = try await TestService()
        try await service.test { api in
            let malformed = try await api.request(.post, "/v1/sandboxes", agency: service.agencyA, raw: "{\"name\": ")
            #expect(malformed.status == .badRequest)
            #expect(malformed.errorCode == "malformed_json")
            let mistyped = try await api.request(.post, "/v1/sandboxes", agency: service.agencyA, json: ["name": 42])
            #expect(mistyped.status == .unprocessableContent)
            #expect((mistyped.json["error"] as? [String: String])?["field"] == "name")
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let v3Malformed = try await api.request(.post, "/api/3/contacts", apiToken: token, raw: "nope")
            #expect(v3Malformed.status == .badRequest)
            #expect(v3Malformed.json["message"] as? String != nil)
            let missingEnvelope = try await api.request(.post, "/api/3/contacts", apiToken: token, json: ["email": "a@example.com"])
            #expect(missingEnvelope.status == .unprocessableContent)
            #expect((missingEnvelope.firstV3Error?["source"] as? [String: String])?["pointer"] == "/contact")
        }
    }

    /// Unknown routes answer 404 with a JSON body, under every prefix.
    @Test func unknownRoutesAreJSON404() async throws {
        let service = try await TestService()
        try await service.test { api in
            for path in ["/nope", "/v1/nope", "/api/3/nope"] {
                let reply = try await api.request(.get, path, agency: service.agencyA)
                #expect(reply.status == .notFound, "\(path)")
                #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true)
            }
            let unknownAccount = try await api.request(.get, "/v1/accounts/abc", agency: service.agencyA)
            #expect(unknownAccount.status == .notFound)
            #expect(unknownAccount.errorCode == "not_found")
        }
    }

    /// Bodies over the limit are refused with 413 before anything is written.
    @Test func oversizedBodiesAre413() async throws {
        let service = try await TestService()
        try await service.test { api in
            let huge = String(repeating: "x", count: 2 << 20)
            let reply = try await api.request(.post, "/v1/sandboxes", agency: service.agencyA, json: ["name": huge])
            #expect(reply.status == .contentTooLarge)
            #expect(reply.errorCode == "body_too_large")
            let list = try await api.request(.get, "/v1/accounts", agency: service.agencyA)
            #expect((list.json["meta"] as? [String: Int])?["total"] == 0)
        }
    }

    /// v3 paths this service does not serve answer 404 in v3's shape, and a method a path does not take 405.
    @Test func unservedV3PathsAnswerInV3Shape() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            for path in ["/api/3/notes", "/api/3/accounts", "/api/3/ecomOrders/1", "/api/3/customObjects/schemas"] {
                let reply = try await api.request(.get, path, apiToken: token)
                #expect(reply.status == .notFound, "\(path)")
                #expect(reply.json["message"] is String, "\(path): \(reply.text)")
            }
            let wrongMethod = try await api.request(.patch, "/api/3/webhooks", apiToken: token)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow]?.contains("POST") == true)
        }
    }
}
