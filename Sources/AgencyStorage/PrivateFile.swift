import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Files that only their owner may read: the database (contacts, password hashes, token digests),
/// its backups and the secret key. Each is created with mode 0600 by `open(2)` itself, so there is
/// no moment in which another user could open it. SQLite gives a database's WAL, SHM and journal
/// files the mode of the database file, so they follow.
public enum PrivateFile {
    /// The permission bits every private file gets.
    public static let mode: mode_t = 0o600

    /// Creates an empty file with mode 0600 unless one exists; returns whether it made one.
    @discardableResult
    public static func createIfMissing(atPath path: String) throws -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if descriptor < 0 {
            if errno == EEXIST { return false }
            throw PrivateFileError(path: path, errno: errno)
        }
        close(descriptor)
        return true
    }

    /// Creates a new file with mode 0600 holding `bytes`, flushed to disk; fails if the file exists.
    public static func create(atPath path: String, contents bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw PrivateFileError(path: path, errno: errno) }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                let failure = PrivateFileError(path: path, errno: errno)
                unlink(path)
                throw failure
            }
            written += result
        }
        guard fsync(descriptor) == 0 else {
            let failure = PrivateFileError(path: path, errno: errno)
            unlink(path)
            throw failure
        }
    }

    /// The permission bits of the file at `path`, or nil when there is none.
    public static func permissions(atPath path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    /// Whether users other than the owner can read or write the file at `path`.
    public static func isOpenToOthers(atPath path: String) -> Bool {
        guard let permissions = permissions(atPath: path) else { return false }
        return permissions & 0o077 != 0
    }
}

/// A private file could not be made.
public struct PrivateFileError: Error, CustomStringConvertible {
    public var path: String
    public var errno: Int32

    public var description: String {
        "Cannot create \(path): \(String(cString: strerror(errno)))."
    }
}
