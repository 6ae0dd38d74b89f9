import AgencyDomain

/// `GET` and `PUT /v1/agency/branding`: what the agency's clients see instead of the service's name.
public struct BrandingBody: Codable, Sendable {
    public var display_name: OrNull<String>
    /// `#rrggbb`.
    public var accent: OrNull<String>
    /// Where the logo is served (`/branding/logos/<sha256>.png`), relative to the service.
    public var logo_url: OrNull<String>

    public init(_ branding: AgencyBranding) {
        display_name = OrNull(branding.displayName)
        accent = OrNull(branding.accent)
        logo_url = OrNull(branding.logoPath)
    }
}

/// `PUT /v1/agency/branding`: the name and the accent colour as they are to be; a field left out or
/// null is cleared. The logo is sent on its own (`PUT /v1/agency/branding/logo`).
public struct BrandingRequest: Codable, Sendable {
    public var display_name: String?
    public var accent: String?

    public init(display_name: String?, accent: String?) {
        self.display_name = display_name
        self.accent = accent
    }
}
