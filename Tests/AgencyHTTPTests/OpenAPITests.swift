import AgencyHTTP
import Foundation
import Testing

@Suite("docs/openapi.yaml is true to the code")
struct OpenAPITests {
    /// Every route the router serves is documented, and every documented operation is served. The
    /// browser dashboard's HTML pages (`DashboardRoutes.isPagePath`) are not API operations: they take
    /// forms and answer pages, and are covered by the dashboard's own tests and the browser test.
    @Test func specAndRouterListTheSameOperations() async throws {
        let service = try await TestService()
        let apiRoutes = service.router().routes.filter { !DashboardRoutes.isPagePath($0.path.description) }
        let served = Set(apiRoutes.map { "\($0.method.rawValue) \(Self.normalise($0.path.description))" })
        let documented = try Self.documentedOperations()
        #expect(!documented.isEmpty)
        #expect(documented.filter { DashboardRoutes.isPagePath($0.split(separator: " ").last.map(String.init) ?? "") }.isEmpty, "no API operation is left out as a page")
        #expect(served.subtracting(documented).sorted() == [], "served but not documented")
        #expect(documented.subtracting(served).sorted() == [], "documented but not served")
    }

    /// `/v1/accounts/{id}` and `/v1/accounts/:id` both become `/v1/accounts/{}`.
    static func normalise(_ path: String) -> String {
        let segments = path.split(separator: "/").map { segment in
            segment.hasPrefix(":") || segment.hasPrefix("{") ? "{}" : String(segment)
        }
        return "/" + segments.joined(separator: "/")
    }

    /// Reads `paths:` of the spec: paths at two spaces of indent, methods at four.
    static func documentedOperations() throws -> Set<String> {
        let spec = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/openapi.yaml")
        let lines = try String(contentsOf: spec, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let methods: Set<String> = ["get", "post", "put", "patch", "delete"]
        var operations = Set<String>()
        var inPaths = false
        var currentPath: String?
        for line in lines {
            if !line.hasPrefix(" "), !line.isEmpty { inPaths = line.hasPrefix("paths:") }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   ") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let currentPath {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if methods.contains(String(key)) { operations.insert("\(key.uppercased()) \(normalise(currentPath))") }
            }
        }
        return operations
    }
}
