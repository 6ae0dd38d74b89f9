import Foundation
import Testing

/// Issue 10, defect 7 (and issue 11's PATCH surprise): a path that exists answered 404 to a method
/// it does not take. It is a 405 with `Allow`, in the error shape of its API.
@Suite("Methods a path does not take are 405")
struct MethodNotAllowedTests {
    @Test func traceAndPatchAre405WithAllow() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, token) = try await api.sandboxWithToken(agency: service.agencyA)
            let trace = try await api.request(.trace, "/api/3/tags", apiToken: token)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "GET, POST")
            #expect(trace.json["message"] as? String != nil)
            let patch = try await api.request(.patch, "/api/3/tags/1", apiToken: token)
            #expect(patch.status == .methodNotAllowed)
            #expect(patch.headers[.allow] == "DELETE, GET, PUT")
            let agency = try await api.request(.patch, "/v1/sandboxes", agency: service.agencyA)
            #expect(agency.status == .methodNotAllowed)
            #expect(agency.errorCode == "method_not_allowed")
        }
    }

    /// HEAD is answered wherever GET is; a snapshot's 405 for edits lists what it does take.
    @Test func headWorksAndSnapshotEditsListAllow() async throws {
        let service = try await TestService()
        try await service.test { api in
            #expect(try await api.request(.head, "/health").status == .ok)
            let (sandbox, _) = try await api.sandboxWithToken(agency: service.agencyA)
            let snapshot = try await api.request(.post, "/v1/snapshots", agency: service.agencyA, json: ["sandbox_id": sandbox, "name": "v1"])
            let id = try #require(snapshot.json["id"] as? Int)
            let edit = try await api.request(.put, "/v1/snapshots/\(id)", agency: service.agencyA, json: ["name": "x"])
            #expect(edit.status == .methodNotAllowed)
            #expect(edit.headers[.allow] == "DELETE, GET")
        }
    }

    /// A path that exists under no method stays a 404.
    @Test func unknownPathsStay404() async throws {
        let service = try await TestService()
        try await service.test { api in
            let reply = try await api.request(.trace, "/api/3/nothing-here")
            #expect(reply.status == .notFound)
        }
    }
}
