import AgencyDomain
import AgencyHTTP
import AgencyOutbound
import AgencyStorage
import AgencyWorkers
import ArgumentParser
import Foundation
import Logging
import NIOCore

struct Serve: AgencyRunnable {
    static let configuration = CommandConfiguration(
        abstract: "Run the service on an embedded SQLite database (created and migrated on first start).",
        discussion: "Example:\n  $ agency serve --port 8080 --database ./agency.sqlite --metrics-port 9464"
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("public-url"), help: "Base URL people use to reach the service (default: http://HOST:PORT).")
    var publicURL: String?
    @Option(name: .customLong("bcrypt-cost"), help: "bcrypt cost factor for passwords (10...16).")
    var bcryptCost: UInt8 = 12
    @Option(name: .customLong("request-timeout"), help: "Seconds a client has to send a whole request once its head has arrived.")
    var requestTimeout = 30
    @Option(name: .customLong("idle-timeout"), help: "Seconds an open connection may wait between requests (or to send its first one).")
    var idleTimeout = 60
    @Option(name: .customLong("session-idle-timeout"), help: "Seconds a dashboard session may go unused before it ends (30 minutes); it ends 8 hours after sign-in regardless.")
    var sessionIdleTimeout = 1800
    @Option(name: .customLong("max-connections"), help: "Connections served at once; further ones wait in the kernel's queue.")
    var maxConnections = 1024
    @Option(name: .customLong("sign-in-free-failures"), help: "Failed sign-ins for one username before each further one earns a wait (429 with Retry-After).")
    var signInFreeFailures = 10
    @Option(name: .customLong("sign-in-free-failures-per-address"), help: "Failed sign-ins from one client address (any username) before each further one earns a wait.")
    var signInFreeFailuresPerAddress = 50
    @Option(name: .customLong("sign-in-first-delay"), help: "Seconds the last free failed sign-in makes its username or address wait; each further failure doubles it.")
    var signInFirstDelay = 1
    @Option(name: .customLong("sign-in-max-delay"), help: "Longest wait, in seconds, a failed sign-in earns.")
    var signInMaxDelay = 300
    @Option(name: .customLong("sign-in-tracked"), help: "Usernames and addresses the sign-in throttle remembers at once (each); the stalest goes first.")
    var signInTracked = 100_000
    @Option(name: .customLong("sign-in-concurrency-per-address"), help: "Sign-ins from one client address checked at once; more are answered 503 busy and count as failures.")
    var signInConcurrencyPerAddress = 4
    @Option(name: .customLong("hash-workers"), help: "bcrypt hashes run at once (default: one per core).")
    var hashWorkers: Int?
    @Option(name: .customLong("hash-queue"), help: "Sign-ins that may wait for a bcrypt worker; more are answered 503 busy with Retry-After.")
    var hashQueue = 8
    @Option(name: .customLong("metrics-port"), help: "Serve Prometheus metrics at /metrics on this port (off when not given).")
    var metricsPort: Int?
    @Option(name: .customLong("metrics-host"), help: "Address the metrics port listens on; keep it private.")
    var metricsHost = "127.0.0.1"
    @Option(name: .customLong("secret-key-file"), help: "Key that seals contact-sync credentials (default: DATABASE.key, made on first start; back it up).")
    var secretKeyFile: String?
    @Option(name: .customLong("dns-resolver"), help: "DNS server (IP[:port]) that custom domains' TXT records are checked with (default: the first nameserver of /etc/resolv.conf).")
    var dnsResolver: String?
    @Option(
        name: .customLong("allow-outbound"),
        help: ArgumentHelp(
            "Let webhooks and sync connections call this address block (CIDR, e.g. 10.0.0.0/8 or 127.0.0.1/32; repeatable).",
            discussion: "By default the service never calls loopback, private (RFC 1918), carrier-grade NAT, unique-local, link-local (cloud metadata), multicast, unspecified or broadcast addresses on its users' behalf.",
            valueName: "CIDR"
        )
    )
    var allowOutbound: [String] = []
    @Option(name: .customLong("outbound-connect-timeout"), help: "Seconds a webhook or sync call may take to connect (1...5).")
    var outboundConnectTimeout = 5
    @Option(name: .customLong("outbound-timeout"), help: "Seconds a whole webhook or sync call may take, answer included (1...15).")
    var outboundTimeout = 15
    @Option(name: .customLong("sync-retry-base-ms"), help: .hidden) var syncRetryBaseMilliseconds = 1_000
    @Option(name: .customLong("sync-poll-ms"), help: .hidden) var syncPollMilliseconds = 1_000
    @Option(name: .customLong("sync-timeout-ms"), help: .hidden) var syncTimeoutMilliseconds = 15_000

    func validate() throws {
        guard (10...16).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be between 10 and 16.") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard (1...3600).contains(requestTimeout) else { throw ValidationError("--request-timeout must be between 1 and 3600 seconds.") }
        guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be between 1 and 3600 seconds.") }
        guard (60...28_800).contains(sessionIdleTimeout) else { throw ValidationError("--session-idle-timeout must be between 60 and 28800 seconds (8 hours).") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1.") }
        guard signInFreeFailures >= 1, signInFreeFailuresPerAddress >= 1 else { throw ValidationError("--sign-in-free-failures and --sign-in-free-failures-per-address must be at least 1.") }
        guard (1...86_400).contains(signInMaxDelay), (1...signInMaxDelay).contains(signInFirstDelay) else {
            throw ValidationError("--sign-in-max-delay must be between 1 and 86400 seconds, and --sign-in-first-delay between 1 and it.")
        }
        guard signInConcurrencyPerAddress >= 1 else { throw ValidationError("--sign-in-concurrency-per-address must be at least 1.") }
        guard signInTracked >= 1 else { throw ValidationError("--sign-in-tracked must be at least 1.") }
        guard hashWorkers.map({ $0 >= 1 }) ?? true, hashQueue >= 0 else { throw ValidationError("--hash-workers must be at least 1 and --hash-queue at least 0.") }
        guard (1...3_600_000).contains(syncRetryBaseMilliseconds), (1...60_000).contains(syncPollMilliseconds), (1...300_000).contains(syncTimeoutMilliseconds) else {
            throw ValidationError("The sync timings must be positive (retry base at most an hour, poll at most a minute, timeout at most 5 minutes).")
        }
        if let dnsResolver, !ServiceSettings.isResolverAddress(dnsResolver) {
            throw ValidationError("--dns-resolver is an IP address with an optional port, e.g. 127.0.0.1:5353 or [::1]:53.")
        }
        for block in allowOutbound where IPNetwork(block) == nil {
            throw ValidationError("--allow-outbound takes an address block such as 10.0.0.0/8 or 127.0.0.1/32; '\(block)' is not one.")
        }
        guard (1...5).contains(outboundConnectTimeout), (1...15).contains(outboundTimeout) else {
            throw ValidationError("--outbound-connect-timeout is 1 to 5 seconds and --outbound-timeout 1 to 15 seconds.")
        }
        if let metricsPort {
            guard (1...65535).contains(metricsPort), metricsPort != port else { throw ValidationError("--metrics-port must be between 1 and 65535 and differ from --port.") }
        }
    }

    func run(in context: CLIContext) async throws {
        try await checkPortsAreFree()
        let opened = try OpenedDatabase(database.resolvedPath(context))
        var logger = Logger(label: "agency", factory: ServiceLogHandler.standardOutput)
        logger.logLevel = .info
        let signIn = SignInLimits(
            freeFailuresPerUsername: signInFreeFailures, freeFailuresPerAddress: signInFreeFailuresPerAddress, firstDelaySeconds: signInFirstDelay,
            maxDelaySeconds: signInMaxDelay,
            maxTracked: signInTracked, concurrentPerAddress: signInConcurrencyPerAddress, hashWorkers: hashWorkers, hashQueue: hashQueue
        )
        let settings = ServiceSettings(
            publicURL: publicURL ?? "http://\(host):\(port)", bcryptCost: bcryptCost, signIn: signIn,
            sessionIdleTimeout: TimeInterval(sessionIdleTimeout), dnsResolver: dnsResolver
        )
        let limits = ServerLimits(
            requestReadTimeout: .seconds(Int64(requestTimeout)), idleTimeout: .seconds(Int64(idleTimeout)), maxConnections: maxConnections
        )
        let keyPath = secretKeyFile ?? SecretKeyFile.defaultPath(forDatabase: opened.path)
        let (cipher, keyCreated) = try SecretKeyFile.loadOrCreate(at: keyPath)
        let outbound = OutboundClient(
            policy: OutboundPolicy(allowed: allowOutbound.compactMap(IPNetwork.init)),
            settings: OutboundSettings(connectTimeout: .seconds(outboundConnectTimeout), requestTimeout: .seconds(outboundTimeout)),
            logger: logger
        )
        let sync = SyncSettings(
            cipher: cipher, outbound: outbound,
            policy: SyncRetryPolicy(baseDelay: Double(syncRetryBaseMilliseconds) / 1_000, requestTimeout: Double(syncTimeoutMilliseconds) / 1_000),
            pollInterval: .milliseconds(syncPollMilliseconds)
        )
        let app = buildApplication(
            database: opened.database, settings: settings, address: ServerAddress(host: host, port: port), limits: limits,
            metrics: metricsPort.map { _ in ServiceMetrics.bootstrap() }, metricsAddress: metricsPort.map { ServerAddress(host: metricsHost, port: $0) },
            sync: sync, logger: logger
        )
        if keyCreated { logger.notice("Made the secret key for contact-sync credentials at \(keyPath): back it up with the database.") }
        // Through the logger, which flushes each line: stdout under a supervisor is block-buffered.
        logger.info("Serving http://\(host):\(port) from the database \(opened.path)\(opened.isNew ? " (a new file)" : "").")
        logger.info("The dashboard is at \(settings.publicURL)/ (sign in with the agency token); clients sign in at \(settings.loginURL).")
        do {
            do {
                try await app.runService()
            } catch {
                await outbound.shutdown()
                throw error
            }
            // Pooled connections and the egress guard close with the service.
            await outbound.shutdown()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            // Taken between the check and the start, which is rare: which of the two is not known here.
            throw CLIError("Port \(port) (--port) or the metrics port (--metrics-port) on \(host) was taken as the service started; stop what took it or choose another.")
        } catch let error as IOError where error.errnoCode == EACCES {
            throw CLIError(Self.notAllowed(port: port, host: host, option: "--port"))
        }
    }

    /// Refuses to start, with one line naming the port and its option, when a port cannot be listened
    /// on: before anything says it is serving and before the workers start.
    func checkPortsAreFree() async throws {
        var listeners = [(ServerAddress(host: host, port: port), "--port")]
        if let metricsPort { listeners.append((ServerAddress(host: metricsHost, port: metricsPort), "--metrics-port")) }
        for (address, option) in listeners {
            switch await ListeningPortCheck.check(address) {
            case .free:
                continue
            case .inUse:
                throw CLIError(
                    "Port \(address.port) on \(address.host) (\(option)) is already in use, perhaps by another `agency serve`; stop that or choose another with \(option)."
                )
            case .notAllowed:
                throw CLIError(Self.notAllowed(port: address.port, host: address.host, option: option))
            }
        }
    }

    static func notAllowed(port: Int, host: String, option: String) -> String {
        "Not allowed to listen on port \(port) of \(host) (\(option)); ports below 1024 need privileges. Choose another with \(option)."
    }
}
