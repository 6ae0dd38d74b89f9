import AgencyDomain

/// The name, logo and accent colour a page is dressed in: the service's own, or an agency's
/// branding on its clients' pages and its own dashboard.
struct PageBrand: Sendable {
    /// Shown in the header and the title; nil shows no name (an agency that set only a logo).
    var name: String?
    var logoURL: String?
    /// `/branding/accent/rrggbb.css`: a stylesheet of one variable, so no inline style is needed
    /// (the pages' CSP allows only the service's own style sheets).
    var accentStylesheet: String?

    static let service = PageBrand(name: "Agency Snapshots", logoURL: nil, accentStylesheet: nil)

    init(name: String?, logoURL: String?, accentStylesheet: String?) {
        self.name = name
        self.logoURL = logoURL
        self.accentStylesheet = accentStylesheet
    }

    /// An agency's branding; with none set, the service's.
    init(_ branding: AgencyBranding) {
        guard branding != AgencyBranding() else { self = .service; return }
        name = branding.displayName
        logoURL = branding.logoPath
        accentStylesheet = branding.accent.map { "/branding/accent/\($0.dropFirst()).css" }
    }
}
