import AgencyDomain
import AgencyStorage
import AgencyWorkers
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// Where the server listens.
public struct ServerAddress: Sendable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// The service, ready to run: `try await buildApplication(...).runService()`. With `metrics`, its
/// Prometheus endpoint listens on `metricsAddress`, apart from the public port.
public func buildApplication(
    database: AppDatabase, settings: ServiceSettings, address: ServerAddress, limits: ServerLimits = ServerLimits(),
    metrics: ServiceMetrics? = nil, metricsAddress: ServerAddress? = nil, sync: SyncSettings = .ephemeral(), logger: Logger
) -> some ApplicationProtocol {
    var services: [any Service] = [WebhookDeliverer(database: database, outbound: sync.outbound, logger: logger)]
    services.append(ContactSyncWorker(database: database, settings: sync, logger: logger))
    if let metrics, let metricsAddress {
        services.append(Application(
            router: buildMetricsRouter(metrics: metrics, database: database),
            configuration: .init(address: .hostname(metricsAddress.host, port: metricsAddress.port), serverName: "agency-snapshots-metrics"),
            logger: logger
        ))
    }
    let readTimeout = limits.requestReadTimeout
    return Application(
        router: buildRouter(database: database, settings: settings, metrics: metrics != nil, sync: sync, logger: logger),
        server: .http1(configuration: .init(
            additionalChannelHandlers: [RequestReadDeadline(timeout: readTimeout)], idleTimeout: limits.idleTimeout
        )),
        configuration: .init(
            address: .hostname(address.host, port: address.port), serverName: "agency-snapshots",
            availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)
        ),
        services: services,
        logger: logger
    )
}

/// Every route of the service. Tests drive this router directly. `passwordQueue` is made from
/// `settings.signIn` unless given (a test holds its workers to fill it).
public func buildRouter(
    database: AppDatabase, settings: ServiceSettings, metrics: Bool = false, sync: SyncSettings = .ephemeral(), logger: Logger = Logger(label: "agency"),
    passwordQueue: PasswordQueue? = nil
) -> Router<AppRequestContext> {
    // HEAD is answered wherever GET is, as HTTP expects.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    let queue = passwordQueue ?? PasswordQueue(workers: settings.signIn.hashWorkers, signInQueue: settings.signIn.hashQueue)
    let hasher = PasswordHasher(cost: settings.bcryptCost, queue: queue)
    let signInGuard = SignInGuard(limits: settings.signIn)
    // Outside the error middleware, so that both see the status every reply really has.
    router.add(middleware: RequestLogMiddleware())
    if metrics { router.add(middleware: MetricsMiddleware()) }
    router.add(middleware: ErrorMiddleware(hosts: HostBranding(database: database), sessions: (database, DashboardCookies(settings: settings))))
    let routeTable = RouteTable()
    router.add(middleware: MethodNotAllowedMiddleware(table: routeTable))

    router.get("health") { _, _ in try JSONReply.make(["status": "ok"]) }
    let login = AccountLogin(database: database, hasher: hasher)
    LoginController(database: database, credentials: login, signInGuard: signInGuard, hosts: HostBranding(database: database)).addRoutes(to: router)
    DashboardRoutes.add(to: router, database: database, settings: settings, login: login, signInGuard: signInGuard)
    PublicBrandingRoutes(database: database, settings: settings).addRoutes(to: router)

    let agencyAPI = router.group("v1").add(middleware: AgencyAuthenticator(database: database, clock: settings.clock))
    AccountsController(database: database, settings: settings, hasher: hasher).addRoutes(to: agencyAPI)
    AgencyTokenController(database: database, settings: settings).addRoutes(to: agencyAPI)
    BundlesController(database: database).addRoutes(to: agencyAPI)
    SnapshotsController(database: database).addRoutes(to: agencyAPI)
    UpdatesController(database: database).addRoutes(to: agencyAPI)
    ContactFilesController(database: database).addRoutes(to: agencyAPI)
    ConnectionsController(
        database: database, settings: settings, sync: sync, engine: ContactSyncEngine(database: database, settings: sync, logger: logger)
    ).addRoutes(to: agencyAPI)
    ConnectionHooksController(database: database, sync: sync).addRoutes(to: router)
    BrandingController(database: database).addRoutes(to: agencyAPI)
    DomainsController(database: database, verifier: DomainVerifier(database: database, resolver: settings.dnsResolver)).addRoutes(to: agencyAPI)

    let accountAPI = router.group("api/3").add(middleware: AccountAuthenticator(database: database))
    ContactsController(database: database).addRoutes(to: accountAPI)
    BulkImportController(database: database).addRoutes(to: accountAPI)
    UsersController(database: database).addRoutes(to: accountAPI)
    FieldOptionsController(database: database).addRoutes(to: accountAPI)
    ReportsController(database: database).addRoutes(to: accountAPI)
    WebhooksController(database: database, outbound: sync.outbound).addRoutes(to: accountAPI)
    SendsController(database: database).addRoutes(to: accountAPI)
    AssetsController(database: database).addRoutes(to: accountAPI)
    ContactDataController(database: database).addRoutes(to: accountAPI)
    DealsController(database: database).addRoutes(to: accountAPI)
    routeTable.load(router.routes.map { ($0.path.description, $0.method.rawValue) })
    return router
}
