import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird

/// What the service answers without a token about branding and domains: logos and accent
/// stylesheets (shown on sign-in pages, so public), and the TLS proxy's question whether a host may
/// get a certificate.
struct PublicBrandingRoutes {
    let database: AppDatabase
    let settings: ServiceSettings

    /// A year: a logo's URL names its content's digest, an accent sheet's its colour, so neither changes.
    static let immutable = "public, max-age=31536000, immutable"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("branding/logos/:file", use: logo)
        router.get("branding/accent/:file", use: accent)
        router.get("tls/allowed", use: tlsAllowed)
    }

    /// `/branding/logos/<sha256>.png|jpg`: the bytes stored under that digest, with the type they
    /// were checked to be.
    @Sendable func logo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let file = context.parameters.get("file") ?? ""
        let parts = file.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 64, parts[0].allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
              let stored = try await database.logo(digest: String(parts[0])), stored.format.fileExtension == parts[1]
        else { throw DomainError.notFound(what: "Logo") }
        return Response(
            status: .ok,
            headers: [.contentType: stored.format.contentType, .cacheControl: Self.immutable, .xContentTypeOptions: "nosniff",
                      .contentSecurityPolicy: "default-src 'none'"],
            body: .init(byteBuffer: ByteBuffer(bytes: stored.bytes))
        )
    }

    /// `/branding/accent/rrggbb.css`: one CSS variable; the colour is six hex digits or nothing.
    @Sendable func accent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let file = context.parameters.get("file") ?? ""
        guard file.hasSuffix(".css"), let colour = try? AccentColour.validated("#" + file.dropLast(4)), colour.dropFirst() == file.dropLast(4) else {
            throw DomainError.notFound(what: "Stylesheet")
        }
        return Response(
            status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: Self.immutable, .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(string: ":root { --accent: \(colour); }\n"))
        )
    }

    /// Caddy's on-demand TLS `ask`: 200 for the service's own host and active custom domains, 404
    /// for any other name, so nobody can make the proxy fetch certificates for names it does not serve.
    @Sendable func tlsAllowed(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let host = try? HostName.validated(request.query("domain")) else { throw DomainError.notFound(what: "Domain") }
        if host == settings.publicHost { return try JSONReply.make(["allowed": true]) }
        guard try await database.activeDomain(host: host) != nil else { throw DomainError.notFound(what: "Domain") }
        return try JSONReply.make(["allowed": true])
    }
}
