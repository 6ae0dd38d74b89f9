import Foundation

/// A database file in the temporary folder, removed with its WAL and shared-memory files when the
/// last reference to it goes, so that test runs leave nothing behind.
public final class TemporaryDatabaseFile: Sendable {
    public let path: String

    public init(prefix: String = "agency-test") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString).sqlite").path
    }

    deinit {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
