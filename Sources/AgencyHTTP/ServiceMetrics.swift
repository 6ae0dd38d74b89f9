import AgencyStorage
import Hummingbird
import Metrics
import Prometheus

/// Prometheus metrics: requests by route and status with latency histograms (Hummingbird's
/// `MetricsMiddleware`), snapshot and provisioning durations, and the database's size. Served by
/// `metricsRouter` on a port of its own, so that they never show on the public one.
public struct ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// Makes Prometheus the backend of swift-metrics. swift-metrics allows this once per process.
    public static func bootstrap() -> ServiceMetrics {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return ServiceMetrics(registry: registry)
    }

    // Made at each use rather than kept: a timer made before `bootstrap` would stay bound to the
    // no-op backend. The backend hands out the same histogram for the same label.
    static var snapshotDuration: Metrics.Timer { Metrics.Timer(label: "agency_snapshot_create_duration_seconds", preferredDisplayUnit: .seconds) }
    static var provisioningDuration: Metrics.Timer { Metrics.Timer(label: "agency_provisioning_duration_seconds", preferredDisplayUnit: .seconds) }
    static var updateDuration: Metrics.Timer { Metrics.Timer(label: "agency_account_update_duration_seconds", preferredDisplayUnit: .seconds) }

    /// Counts a sign-in refused before its password was checked: `reason` is `throttled` (too many
    /// failures, 429) or `busy` (the password queue was full, 503).
    static func signInRefused(surface: SignInSurface, reason: String) {
        Counter(label: "agency_sign_ins_refused_total", dimensions: [("surface", surface.rawValue), ("reason", reason)]).increment()
    }

    /// Runs `work`, recording how long it took when it succeeds.
    static func timed<T>(_ timer: Metrics.Timer, _ work: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        let result = try await work()
        let elapsed = (ContinuousClock.now - start).components
        timer.recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
        return result
    }
}

/// `GET /metrics` in Prometheus' text format, for the metrics port.
public func buildMetricsRouter(metrics: ServiceMetrics, database: AppDatabase) -> Router<BasicRequestContext> {
    let router = Router()
    let databaseBytes = metrics.registry.makeGauge(
        descriptor: MetricNameDescriptor(
            namespace: "agency", metricName: "database", unitName: "bytes", helpText: "Size of the SQLite database file, in bytes."
        )
    )
    router.get("metrics") { _, _ in
        databaseBytes.set(Double(try await database.sizeInBytes()))
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
    }
    return router
}
