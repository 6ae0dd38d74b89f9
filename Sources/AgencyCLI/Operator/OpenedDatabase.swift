import AgencyStorage
import Foundation

/// The database file an operator command works on, opened with errors that name the file.
struct OpenedDatabase {
    /// The absolute path, so that people see which file was used wherever they ran the command.
    let path: String
    /// True when the file did not exist and was just created.
    let isNew: Bool
    let database: AppDatabase

    init(_ path: String, mustExist: Bool = false) throws {
        self.path = URL(fileURLWithPath: path).standardizedFileURL.path
        isNew = !FileManager.default.fileExists(atPath: self.path)
        if mustExist, isNew {
            throw CLIError("No database at \(self.path); pass --database with the file the service uses.")
        }
        do {
            database = try AppDatabase.open(path: self.path)
        } catch let error as CannotOpenDatabase {
            throw CLIError("\(error) Pass --database with the path of a writable file.")
        }
    }
}
