import AgencyDomain
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The dashboard's HTML: Mustache templates carried as resources, parsed once, every value escaped
/// by `{{ }}` (no template uses `{{{ }}}` or `{{& }}`; a test checks). Every page goes out with the
/// same security headers.
struct DashboardPages: Sendable {
    let library: MustacheLibrary

    /// The bundled templates, parsed on first use. A template that fails to parse is a bug that the
    /// router tests find; at run time it answers 500 instead of stopping the service.
    static let bundled: Result<DashboardPages, any Error> = Result { try DashboardPages() }

    init() throws {
        var library = MustacheLibrary()
        let paths = Bundle.module.paths(forResourcesOfType: "mustache", inDirectory: "Templates")
        for path in paths.sorted() {
            let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            try library.register(try String(contentsOfFile: path, encoding: .utf8), named: name)
        }
        guard library.getTemplate(named: "layout") != nil else { throw MissingTemplate(name: "layout") }
        self.library = library
    }

    struct MissingTemplate: Error { var name: String }

    /// The template's text with every value of `view` escaped.
    func render(_ template: String, _ view: Any) throws -> String {
        guard let html = library.render(view, withTemplate: template) else { throw MissingTemplate(name: template) }
        return html
    }

    /// A page as an HTML reply with the dashboard's headers.
    static func page(_ template: String, _ view: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        let html = try bundled.get().render(template, view)
        return Response(status: status, headers: htmlHeaders, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// What every dashboard page is sent with: no script or style but the app's own files, no framing,
    /// no referrer leaving the site, and nothing kept in caches (pages show private data).
    static let htmlHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .contentSecurityPolicy: contentSecurityPolicy,
        .xFrameOptions: "DENY",
        .referrerPolicy: "no-referrer",
        .xContentTypeOptions: "nosniff",
        .cacheControl: "no-store",
    ]

    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// Redirect-after-post: the browser fetches `location` with GET, so a reload sends nothing again.
    static func redirect(to location: String, cookies: [Cookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    /// An error as a page, for the dashboard's paths (`ErrorMiddleware`).
    static func errorPage(status: HTTPResponse.Status, message: String, headers: HTTPFields, brand: PageBrand = .service) -> Response {
        let view = ErrorView(page: PageChrome(title: "\(status.code) \(status.reasonPhrase)", brand: brand), status: "\(status.code)", message: message)
        var response = (try? page("error", view, status: status))
            ?? Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: message)))
        for field in headers { response.headers.append(field) }
        return response
    }
}

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
