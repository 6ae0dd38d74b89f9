import AgencyAPI
import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird

/// The agency API for the agency's branding: its display name, accent colour and logo.
struct BrandingController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("agency/branding", use: show)
        group.put("agency/branding", use: update)
        group.put("agency/branding/logo", use: setLogo)
        group.delete("agency/branding/logo", use: removeLogo)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONReply.make(BrandingBody(try await database.branding(agencyID: try context.requireAgency())))
    }

    /// The name and colour as given; one left out or null is cleared.
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agencyID = try context.requireAgency()
        let body = try await request.decodeJSON(BrandingRequest.self)
        let name = try body.display_name.map { try BrandName.validated($0) }
        let accent = try body.accent.map { try AccentColour.validated($0) }
        var clear: Set<String> = []
        if name == nil { clear.insert("display_name") }
        if accent == nil { clear.insert("accent") }
        return try JSONReply.make(BrandingBody(try await database.updateBranding(agencyID: agencyID, displayName: name, accent: accent, clear: clear)))
    }

    /// The logo's bytes are the body, checked by their content (`LogoImage`), whatever the
    /// Content-Type says.
    @Sendable func setLogo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agencyID = try context.requireAgency()
        let logo = try LogoImage.validated(Array(try await request.bodyData()))
        return try JSONReply.make(BrandingBody(try await database.setLogo(agencyID: agencyID, logo: logo)))
    }

    @Sendable func removeLogo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agencyID = try context.requireAgency()
        return try JSONReply.make(BrandingBody(try await database.updateBranding(agencyID: agencyID, displayName: nil, accent: nil, clear: ["logo"])))
    }
}
