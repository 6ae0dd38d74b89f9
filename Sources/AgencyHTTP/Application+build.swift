import AgencyDomain
import AgencyStorage
import Hummingbird
import Logging

/// Where the server listens.
public struct ServerAddress: Sendable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// The service, ready to run: `try await buildApplication(...).runService()`.
public func buildApplication(
    database: AppDatabase, settings: ServiceSettings, address: ServerAddress, logger: Logger
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(database: database, settings: settings),
        configuration: .init(address: .hostname(address.host, port: address.port), serverName: "agency-snapshots"),
        logger: logger
    )
}

/// Every route of the service. Tests drive this router directly.
public func buildRouter(database: AppDatabase, settings: ServiceSettings) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let hasher = PasswordHasher(cost: settings.bcryptCost)
    // Logs method, path and status only: never headers, which carry tokens.
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: ErrorMiddleware())

    router.get("health") { _, _ in try JSONReply.make(["status": "ok"]) }
    LoginController(database: database, hasher: hasher).addRoutes(to: router)

    let agencyAPI = router.group("v1").add(middleware: AgencyAuthenticator(database: database))
    AccountsController(database: database, settings: settings, hasher: hasher).addRoutes(to: agencyAPI)
    BundlesController(database: database).addRoutes(to: agencyAPI)
    SnapshotsController(database: database).addRoutes(to: agencyAPI)

    let accountAPI = router.group("api/3").add(middleware: AccountAuthenticator(database: database))
    ContactsController(database: database).addRoutes(to: accountAPI)
    SendsController(database: database).addRoutes(to: accountAPI)
    AssetsController(database: database).addRoutes(to: accountAPI)
    ContactDataController(database: database).addRoutes(to: accountAPI)
    return router
}
