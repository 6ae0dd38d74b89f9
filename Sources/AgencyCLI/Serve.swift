import AgencyHTTP
import AgencyStorage
import ArgumentParser
import Logging

struct Serve: AgencyRunnable {
    static let configuration = CommandConfiguration(
        abstract: "Run the service on an embedded SQLite database (created and migrated on first start).",
        discussion: "Example:\n  $ agency serve --port 8080 --database ./agency.sqlite"
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("public-url"), help: "Base URL people use to reach the service (default: http://HOST:PORT).")
    var publicURL: String?
    @Option(name: .customLong("bcrypt-cost"), help: "bcrypt cost factor for passwords (10...16).")
    var bcryptCost: UInt8 = 12

    func validate() throws {
        guard (10...16).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be between 10 and 16.") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
    }

    func run(in context: CLIContext) async throws {
        let path = database.resolvedPath(context)
        let appDatabase = try AppDatabase.open(path: path)
        var logger = Logger(label: "agency")
        logger.logLevel = .info
        logger.info("database ready", metadata: ["path": "\(path)"])
        let settings = ServiceSettings(publicURL: publicURL ?? "http://\(host):\(port)", bcryptCost: bcryptCost)
        let app = buildApplication(
            database: appDatabase, settings: settings, address: ServerAddress(host: host, port: port), logger: logger
        )
        try await app.runService()
    }
}

struct Migrate: AgencyRunnable {
    static let configuration = CommandConfiguration(
        abstract: "Create or bring the database schema up to date, then exit.",
        discussion: "Example:\n  $ agency migrate --database ./agency.sqlite"
    )

    @OptionGroup var database: DatabaseOptions

    func run(in context: CLIContext) async throws {
        let path = database.resolvedPath(context)
        let migrations = try AppDatabase.open(path: path).appliedMigrations()
        context.write("\(path): schema up to date (\(migrations.count) migrations: \(migrations.joined(separator: ", ")))")
    }
}
