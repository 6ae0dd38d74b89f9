import AgencyHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A browser, as far as the dashboard's tests need one: it keeps cookies, follows nothing by itself,
/// and sends forms with the CSRF token of the page they came from.
final class DashboardBrowser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    /// The `csrf` field of the last page fetched.
    private(set) var csrf: String?
    /// The `Host` this browser sends, e.g. an agency's custom domain; nil: the service's own.
    var host: String?

    init(client: any TestClientProtocol) {
        self.client = client
    }

    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var html: String
        var location: String? { headers[.location] }
        var setCookies: [String] { headers[values: .setCookie] }
        /// The value of a hidden or text input, by name.
        func field(_ name: String) -> String? { DashboardBrowser.inputValue(name, in: html) }
        /// The first number written right after `prefix` in the page, e.g. an id in a link.
        func firstID(after prefix: String) -> Int64? {
            var rest = Substring(html)
            while let range = rest.range(of: prefix) {
                rest = rest[range.upperBound...]
                if let id = Int64(rest.prefix { $0.isNumber }) { return id }
            }
            return nil
        }
        /// The text of `<code id="ID">`.
        func code(_ id: String) -> String? { DashboardBrowser.code(id, in: html) }
    }

    @discardableResult
    func get(_ uri: String) async throws -> Page {
        try await send(.get, uri, body: nil)
    }

    /// Posts a form. `csrf` is the last page's token unless given (pass "" to send none).
    @discardableResult
    func post(_ uri: String, _ fields: [String: String] = [:], csrf: String? = nil) async throws -> Page {
        var fields = fields
        let token = csrf ?? self.csrf ?? ""
        if !token.isEmpty { fields["csrf"] = token }
        let body = fields.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send(.post, uri, body: body)
    }

    /// Signs in to the agency dashboard with a token and returns the redirect.
    @discardableResult
    func signIn(agency token: String) async throws -> Page {
        try await get("/dashboard/sign-in")
        return try await post("/dashboard/sign-in", ["token": token])
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, body: String?) async throws -> Page {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        if let host { headers[HTTPField.Name("Host")!] = host }
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let page = Page(status: response.status, headers: response.headers, html: String(buffer: response.body))
        for header in page.setCookies {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        if let token = page.field("csrf") { csrf = token }
        return page
    }

    func setCookie(_ name: String, _ value: String?) { cookies[name] = value }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// `<input … name="NAME" … value="VALUE">`, the value unescaped as a browser would.
    static func inputValue(_ name: String, in html: String) -> String? {
        for tag in html.components(separatedBy: "<input").dropFirst() {
            let element = tag.prefix { $0 != ">" }
            guard element.contains("name=\"\(name)\"") else { continue }
            guard let start = element.range(of: "value=\"") else { return "" }
            let value = element[start.upperBound...].prefix { $0 != "\"" }
            return String(value).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        }
        return nil
    }

    /// The text of `<code id="ID">…</code>`, unescaped.
    static func code(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: "<code id=\"\(id)\">") else { return nil }
        let text = html[start.upperBound...].prefix { $0 != "<" }
        return String(text).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}

extension TestService {
    /// Runs `body` with a fresh browser against the router.
    func browse<T: Sendable>(settings: ServiceSettingsOverride? = nil, _ body: @Sendable (DashboardBrowser) async throws -> T) async throws -> T {
        let router = settings.map { buildRouter(database: database, settings: $0.settings) } ?? self.router()
        let app = Application(router: router)
        return try await app.test(.router) { client in try await body(DashboardBrowser(client: client)) }
    }

    /// Runs `body` with two browsers on one router (for one agency against another).
    func browseTwo<T: Sendable>(_ body: @Sendable (DashboardBrowser, DashboardBrowser) async throws -> T) async throws -> T {
        let app = Application(router: router())
        return try await app.test(.router) { client in try await body(DashboardBrowser(client: client), DashboardBrowser(client: client)) }
    }
}

/// Other settings than `TestService.settings`, e.g. an http public URL.
struct ServiceSettingsOverride: Sendable {
    var settings: ServiceSettings
}

extension DashboardBrowser {
    /// Fills in "Add new" and sends it; the page is the credentials page when it worked.
    @discardableResult
    func addAccount(_ name: String, kind: String, snapshot: Int64? = nil) async throws -> Page {
        let form = try await get("/dashboard/accounts/new" + (snapshot.map { "?snapshot=\($0)" } ?? ""))
        return try await post("/dashboard/accounts", [
            "name": name, "kind": kind, "snapshot": snapshot.map(String.init) ?? "", "idempotency_key": form.field("idempotency_key") ?? "",
        ])
    }

    /// "Create snapshot" on the Account Snapshots page.
    @discardableResult
    func createSnapshot(of sandboxID: Int64, name: String) async throws -> Page {
        try await get("/dashboard/snapshots")
        return try await post("/dashboard/snapshots", ["sandbox": String(sandboxID), "name": name])
    }
}
