/// What an agency shows its clients instead of the service's name: set by the agency, every part
/// optional. The logo is named by the SHA-256 of its bytes.
public struct AgencyBranding: Sendable, Equatable {
    public var displayName: String?
    public var accent: String?
    public var logoDigest: String?
    public var logoFormat: LogoImage.Format?

    public init(displayName: String? = nil, accent: String? = nil, logoDigest: String? = nil, logoFormat: LogoImage.Format? = nil) {
        self.displayName = displayName
        self.accent = accent
        self.logoDigest = logoDigest
        self.logoFormat = logoFormat
    }

    /// Where the logo is served, relative to any host of the service.
    public var logoPath: String? {
        guard let logoDigest, let logoFormat else { return nil }
        return "/branding/logos/\(logoDigest).\(logoFormat.fileExtension)"
    }
}
