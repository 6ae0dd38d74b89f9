import ArgumentParser
import Foundation

struct Backup: AgencyRunnable {
    static let configuration = CommandConfiguration(
        abstract: "Copy a database, consistently, while the service keeps serving it.",
        discussion: "Example:\n  $ agency backup --database ./agency.sqlite --to ./agency-backup.sqlite"
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The file to write; it must not exist yet.") var to: String

    func run(in context: CLIContext) async throws {
        // Opening a missing file would create an empty database and "back up" nothing.
        let opened = try OpenedDatabase(database.resolvedPath(context), mustExist: true)
        let target = URL(fileURLWithPath: to).standardizedFileURL.path
        guard !FileManager.default.fileExists(atPath: target) else {
            throw CLIError("\(target) already exists; choose a new file so that no backup is overwritten.")
        }
        try opened.database.backup(to: target)
        context.write("Backed up \(opened.path) to \(target).")
    }
}
