import AgencyStorage
import AgencyTestSupport
import Foundation
import Testing

/// The files that hold contacts, password hashes, token digests and the sync key are readable by
/// their owner only, from the moment they exist, whichever command made them; a key file that
/// others can read is refused. SQLite-specific: these are the embedded engine's files.
@Suite("Files only their owner can read")
struct FileModeTests {
    /// `agency migrate` on a new file, then `agency backup` of it: both files are 0600.
    @Test func migrateAndBackupCreateOwnerOnlyFiles() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("agency.sqlite").path
        let backup = directory.appendingPathComponent("copy.sqlite").path

        _ = try Self.agency(["migrate", "--database", database], expectSuccess: true)
        _ = try Self.agency(["backup", "--database", database, "--to", backup], expectSuccess: true)

        #expect(PrivateFile.permissions(atPath: database) == 0o600)
        #expect(PrivateFile.permissions(atPath: backup) == 0o600)
    }

    /// A serving database, its WAL and SHM files and the key made on first start are all 0600.
    @Test func serveCreatesOwnerOnlyDatabaseWALAndKey() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("agency.sqlite").path
        let binary = try DeployedBinaryTests.agencyBinary()
        let agency = try DeployedBinaryTests.json(try DeployedBinaryTests.run(binary, ["agencies", "create", "Modes", "--database", database, "--json"]))

        let port = Int.random(in: 20_000..<40_000)
        let server = Process()
        server.executableURL = binary
        server.arguments = ["serve", "--database", database, "--port", "\(port)", "--bcrypt-cost", "10"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.runAlone()
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        let url = "http://127.0.0.1:\(port)"
        try await DeployedBinaryTests.waitUntilServing(url + "/health")
        // A write, so that the WAL holds something while the files are looked at.
        _ = try DeployedBinaryTests.run(
            binary, ["sandbox", "create", "Workshop"], environment: ["AGENCY_URL": url, "AGENCY_TOKEN": try #require(agency["token"] as? String)]
        )

        for suffix in ["", "-wal", "-shm", ".key"] {
            #expect(FileManager.default.fileExists(atPath: database + suffix), "agency.sqlite\(suffix) exists")
            #expect(PrivateFile.permissions(atPath: database + suffix) == 0o600, "agency.sqlite\(suffix)")
        }
    }

    /// A key file that group or others can read stops `serve` before it starts, with one line that
    /// names the file and the command that fixes it; the file is left as it was.
    @Test func aKeyFileOthersCanReadIsRefused() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("agency.sqlite").path
        let key = database + ".key"
        let bytes = Data((0..<32).map { UInt8($0) })
        FileManager.default.createFile(atPath: key, contents: bytes, attributes: [.posixPermissions: 0o644])
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)

        let output = try Self.agency(["serve", "--database", database, "--port", "0"], expectSuccess: false)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 1, "\(output)")
        #expect(output.contains("The secret key file \(key) can be read by other users (mode 0644)"), "\(output)")
        #expect(output.contains("chmod 600 \(key)"), "\(output)")
        #expect(PrivateFile.permissions(atPath: key) == 0o644)
        #expect(FileManager.default.contents(atPath: key) == bytes)
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Runs `agency` to its end (at most a minute) and returns what it printed.
    static func agency(_ arguments: [String], expectSuccess: Bool) throws -> String {
        let process = Process()
        process.executableURL = try DeployedBinaryTests.agencyBinary()
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.runAlone()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect((process.terminationStatus == 0) == expectSuccess, "agency \(arguments.joined(separator: " ")): \(text)")
        return text
    }
}
