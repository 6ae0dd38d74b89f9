import AgencyStorage
import Foundation
import Hummingbird

/// The browser dashboard: the agency's pages under `/dashboard`, the client's sign-in page at
/// `/login` (the `login_url` of new credentials) and its account under `/client`. HTML, not the
/// JSON API: its errors are pages, and `docs/openapi.yaml` does not list it.
public enum DashboardRoutes {
    /// Whether a path is one of the dashboard's pages rather than an API operation.
    public static func isPagePath(_ path: String) -> Bool {
        let path = path.hasPrefix("/") ? path : "/" + path
        return path == "/" || path == "/login" || path == "/dashboard" || path.hasPrefix("/dashboard/") || path == "/client" || path.hasPrefix("/client/")
    }

    /// Where the client signs in, relative to the public URL.
    static let clientLoginPath = "/login"

    static func add(
        to router: Router<AppRequestContext>, database: AppDatabase, settings: ServiceSettings, login: AccountLogin, signInGuard: SignInGuard
    ) {
        let cookies = DashboardCookies(settings: settings)
        router.get("/") { _, _ in DashboardPages.redirect(to: "/dashboard") }
        DashboardStaticFiles().addRoutes(to: router)

        let nonces = SignInNonces(capacity: settings.signIn.maxTracked)
        let signIn = AgencySignInController(database: database, cookies: cookies, nonces: nonces, signInGuard: signInGuard)
        signIn.addRoutes(to: router)
        let agency = router.group("dashboard").add(middleware: DashboardSessionMiddleware(database: database, cookies: cookies, kind: .agency))
        signIn.addSignedInRoutes(to: agency)
        DashboardAccountsController(database: database, settings: settings, hasher: login.hasher, cookies: cookies).addRoutes(to: agency)
        DashboardUpdatesController(database: database).addRoutes(to: agency)
        DashboardSnapshotsController(database: database).addRoutes(to: agency)
        DashboardSettingsController(database: database, verifier: DomainVerifier(database: database, resolver: settings.dnsResolver)).addRoutes(to: agency)

        let client = ClientController(
            database: database, login: login, cookies: cookies, nonces: nonces, signInGuard: signInGuard, hosts: HostBranding(database: database)
        )
        client.addRoutes(to: router)
        client.addSignedInRoutes(to: router.group("client").add(middleware: DashboardSessionMiddleware(database: database, cookies: cookies, kind: .client)))
    }
}

/// The stylesheet and script, read from the bundle once.
struct DashboardStaticFiles {
    static let files: [String: (type: String, bytes: ByteBuffer)] = {
        var files: [String: (type: String, bytes: ByteBuffer)] = [:]
        for (name, type) in [("dashboard.css", "text/css; charset=utf-8"), ("copy.js", "text/javascript; charset=utf-8")] {
            if let path = Bundle.module.path(forResource: name, ofType: nil, inDirectory: "Static"), let data = FileManager.default.contents(atPath: path) {
                files[name] = (type, ByteBuffer(bytes: data))
            }
        }
        return files
    }()

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("dashboard/static/:file") { _, context in
            let name = context.parameters.get("file") ?? ""
            guard let file = Self.files[name] else { throw HTTPError(.notFound) }
            return Response(
                status: .ok, headers: [.contentType: file.type, .cacheControl: "public, max-age=3600", .xContentTypeOptions: "nosniff"],
                body: .init(byteBuffer: file.bytes)
            )
        }
    }
}
