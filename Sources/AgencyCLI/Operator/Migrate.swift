import ArgumentParser

struct Migrate: AgencyRunnable {
    static let configuration = CommandConfiguration(
        abstract: "Create or bring the database schema up to date, then exit.",
        discussion: "Example:\n  $ agency migrate --database ./agency.sqlite"
    )

    @OptionGroup var database: DatabaseOptions

    func run(in context: CLIContext) async throws {
        let opened = try OpenedDatabase(database.resolvedPath(context))
        let migrations = try opened.database.appliedMigrations()
        context.write("\(opened.path): schema up to date (\(migrations.count) migrations: \(migrations.joined(separator: ", "))).")
    }
}
