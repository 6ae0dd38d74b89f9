import AgencyCLI
import Foundation
import Testing

@Suite("agency contacts import / export / erase")
struct ContactsCLITests {
    static func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("contacts-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A file sent in parts of two rows: refused rows are reported with the lines of the file (a
    /// quoted line break included, a duplicate found across parts), names are mapped and created.
    @Test func importInPartsReportsTheFilesLines() async throws {
        let harness = try await CLIHarness()
        let file = try Self.temporaryFile(
            "email,first_name,tags,Notes\nann@example.com,Ann,Kunde,\nbob@example.com,Bob,,\"line one\nline two\"\nnot-an-email,X,,\n"
                + "cat@example.com,Cat,Kunde|VIP,\nann@example.com,Again,,\n"
        )
        try await harness.session { run in
            _ = try await run(["sandbox", "create", "Workshop"], [:])
            let refused = await #expect(throws: CLIError.self) {
                _ = try await run(["contacts", "import", "1", file, "--map-tag", "Kunde=Customer", "--create-missing", "--rows-per-request", "2", "--json"], [:])
            }
            #expect(refused?.description == "2 of 5 rows were refused (listed above); the others went in.")
            let kept = try await harness.database.contactImportRows(accountID: 1, importID: 1)
            #expect(kept.map { "\($0.line) \($0.failure?.code ?? "")" } == ["5 invalid_email", "7 duplicate_in_file"])
            let totals = try await harness.database.contactImport(accountID: 1, id: 1)
            #expect([totals.rows, totals.created, totals.updated, totals.failed] == [Int]([5, 3, 0, 2]))

            let lines = try await run(["contacts", "export", "1"], [:]).components(separatedBy: "\r\n")
            #expect(lines[0] == "email,first_name,last_name,phone,tags,lists,unsubscribed_lists,Notes")
            #expect(lines[1] == "ann@example.com,Ann,,,Customer,,,")
            #expect(lines[2] == "bob@example.com,Bob,,,,,,\"line one\nline two\"")
            #expect(lines[3] == "cat@example.com,Cat,,,Customer|VIP,,,")
        }
    }

    /// Progress after each part; refused rows make the command exit non-zero, after the good ones went in.
    @Test func progressLinesAndANonZeroExitForRefusedRows() async throws {
        let harness = try await CLIHarness()
        try await harness.session { run in
            _ = try await run(["sandbox", "create", "Workshop"], [:])
            let refused = await #expect(throws: CLIError.self) {
                _ = try await run(["contacts", "import", "1", try Self.temporaryFile("email\na@example.com\nbad\nc@example.com\n"), "--rows-per-request", "2"], [:])
            }
            #expect(refused?.description == "1 of 3 rows were refused (listed above); the others went in.")
            let output = try await run(["contacts", "import", "1", try Self.temporaryFile("email\na@example.com\nb@example.com\nc@example.com\n"), "--rows-per-request", "2"], [:])
            #expect(output == """
                2 rows: 1 created, 1 updated, 0 refused
                3 rows: 1 created, 2 updated, 0 refused
                Import 2 into account 1: 1 created, 2 updated, 0 refused.
                """)
            let single = try await run(["contacts", "import", "1", try Self.temporaryFile("email\nd@example.com\n")], [:])
            #expect(single.hasPrefix("1 row: 1 created, 0 updated, 0 refused\n"))
        }
    }

    @Test func exportToAFileAndEraseOneContact() async throws {
        let harness = try await CLIHarness()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).csv").path
        try await harness.session { run in
            _ = try await run(["sandbox", "create", "Workshop"], [:])
            _ = try await run(["contacts", "import", "1", try Self.temporaryFile("email,first_name\nann@example.com,Ann\nbob@example.com,Bob\n")], [:])
            let unconfirmed = await #expect(throws: CLIError.self) { _ = try await run(["contacts", "erase", "1", "bob@example.com"], [:]) }
            #expect(unconfirmed?.description.contains("--yes") == true)
            let erased = try await run(["contacts", "erase", "1", "BOB@example.com", "--yes"], [:])
            #expect(erased.hasPrefix("Erased contact 2 of account 1 at "))
            let wrote = try await run(["contacts", "export", "1", "--output", output], [:])
            #expect(wrote == "Wrote \(output): account 1's contacts (1 lines after the header).")
            let text = try String(contentsOfFile: output, encoding: .utf8)
            #expect(text == "email,first_name,last_name,phone,tags,lists,unsubscribed_lists\r\nann@example.com,Ann,,,,,\r\n")
            let missing = await #expect(throws: CLIError.self) { _ = try await run(["contacts", "import", "1", "/no/such/file.csv"], [:]) }
            #expect(missing?.description == "Cannot read '/no/such/file.csv'.")
            let badRename = await #expect(throws: (any Error).self) { _ = try await run(["contacts", "import", "1", output, "--map-tag", "oops"], [:]) }
            #expect(badRename != nil)
        }
    }
}
