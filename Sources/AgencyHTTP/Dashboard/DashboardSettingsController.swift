import AgencyAPI
import AgencyDomain
import AgencyStorage
import Hummingbird

/// The agency's Settings page: its branding (name, accent colour, logo) and its custom domains,
/// calling the same storage functions and checks as the agency API.
struct DashboardSettingsController {
    let database: AppDatabase
    let verifier: DomainVerifier

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("settings", use: show)
        group.post("settings/branding", use: saveBranding)
        group.post("settings/logo", use: uploadLogo)
        group.post("settings/domains", use: addDomain)
        group.post("settings/domains/:id/verify", use: verifyDomain)
        group.post("settings/domains/:id/delete", use: removeDomain)
    }

    /// Notices after a redirect are chosen by code, so no text from the URL reaches the page.
    static let notices = [
        "branding": "The branding was saved.",
        "logo": "The logo was saved.",
        "logo-removed": "The logo was removed.",
        "domain-added": "The domain was added. Publish its TXT record, then verify it.",
        "domain-verified": "The domain is verified and active.",
        "domain-removed": "The domain was removed.",
    ]

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        return try await page(session, notice: request.query("done").flatMap { Self.notices[$0] })
    }

    func page(
        _ session: SignedInSession, notice: String? = nil, displayName: String? = nil, accent: String? = nil, host: String = "",
        brandingError: String? = nil, logoError: String? = nil, domainError: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let branding = try await database.branding(agencyID: session.agencyID)
        let domains = try await database.domains(agencyID: session.agencyID)
        var chrome = DashboardAccountsController.chrome("Settings", session, notice: notice)
        chrome.brand = PageBrand(branding)
        chrome.onSettings = true
        return try DashboardPages.page("settings", SettingsView(
            page: chrome, displayName: displayName ?? branding.displayName ?? "", accent: accent ?? branding.accent ?? "",
            logoURL: branding.logoPath, brandingError: brandingError, logoError: logoError,
            domains: domains.map(DomainRow.init), hasDomains: !domains.isEmpty, host: host, domainError: domainError
        ), status: status)
    }

    @Sendable func saveBranding(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let form = try await DashboardForm.read(request, secret: session.sessionID)
        let name = (form["display_name"] ?? "").trimmingCharacters(in: .whitespaces)
        let accent = (form["accent"] ?? "").trimmingCharacters(in: .whitespaces)
        do {
            let validName = name.isEmpty ? nil : try BrandName.validated(name)
            let validAccent = accent.isEmpty ? nil : try AccentColour.validated(accent)
            var clear: Set<String> = []
            if validName == nil { clear.insert("display_name") }
            if validAccent == nil { clear.insert("accent") }
            _ = try await database.updateBranding(agencyID: session.agencyID, displayName: validName, accent: validAccent, clear: clear)
        } catch let error as DomainError {
            return try await page(session, displayName: name, accent: accent, brandingError: error.message, status: .unprocessableContent)
        }
        return DashboardPages.redirect(to: "/dashboard/settings?done=branding")
    }

    /// The logo form is multipart (a file); "Remove" sends the same form with `remove`.
    @Sendable func uploadLogo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let upload = try await DashboardUpload.read(request, secret: session.sessionID)
        if upload.parts["remove"] != nil {
            _ = try await database.updateBranding(agencyID: session.agencyID, displayName: nil, accent: nil, clear: ["logo"])
            return DashboardPages.redirect(to: "/dashboard/settings?done=logo-removed")
        }
        do {
            _ = try await database.setLogo(agencyID: session.agencyID, logo: try LogoImage.validated(upload.parts["logo"] ?? []))
        } catch let error as DomainError {
            return try await page(session, logoError: error.message, status: .unprocessableContent)
        }
        return DashboardPages.redirect(to: "/dashboard/settings?done=logo")
    }

    @Sendable func addDomain(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let form = try await DashboardForm.read(request, secret: session.sessionID)
        let typed = form["host"] ?? ""
        do {
            let host = try HostName.validated(typed)
            _ = try await database.addDomain(agencyID: session.agencyID, host: host, token: DomainVerification.newToken())
        } catch let error as DomainError {
            return try await page(session, host: typed, domainError: error.message, status: .unprocessableContent)
        }
        return DashboardPages.redirect(to: "/dashboard/settings?done=domain-added")
    }

    @Sendable func verifyDomain(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        _ = try await DashboardForm.read(request, secret: session.sessionID)
        do {
            _ = try await verifier.verify(domainID: try pathID(context, what: "Domain"), agencyID: session.agencyID)
        } catch let error as DomainError where error.code != "not_found" {
            return try await page(session, domainError: error.message, status: .unprocessableContent)
        }
        return DashboardPages.redirect(to: "/dashboard/settings?done=domain-verified")
    }

    @Sendable func removeDomain(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        _ = try await DashboardForm.read(request, secret: session.sessionID)
        try await database.removeDomain(id: try pathID(context, what: "Domain"), agencyID: session.agencyID)
        return DashboardPages.redirect(to: "/dashboard/settings?done=domain-removed")
    }
}

struct DomainRow {
    var id: Int64
    var host: String
    var active: Bool
    var recordName: String
    var recordValue: String

    init(_ domain: CustomDomain) {
        id = domain.id
        host = domain.host
        active = domain.isActive
        recordName = DomainVerification.recordName(for: domain.host)
        recordValue = DomainVerification.recordValue(token: domain.token)
    }
}

struct SettingsView {
    var page: PageChrome
    var displayName: String
    var accent: String
    var logoURL: String?
    var brandingError: String?
    var logoError: String?
    var domains: [DomainRow]
    var hasDomains: Bool
    var host: String
    var domainError: String?
}
