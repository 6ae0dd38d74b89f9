import AgencyDomain
import AgencyStorage
import Foundation
import GRDB

extension Benchmarks {
    /// 7. Importing contacts from CSV (each with 3 tags, 2 lists and 5 field values) into a paid
    /// account and exporting them, against SQLite inserting the same rows in one transaction;
    /// resident memory during the import, for 10,000 and then 100,000 rows.
    func contacts(_ database: AppDatabase, _ raw: DatabaseQueue, agencyID: Int64) async throws {
        print("## 7. Contacts: CSV import and export\n")
        print("Each contact has 3 tags (of 30), 2 lists (of 5) and 5 field values. The import streams the file through `ContactCSVImport` in 1 MiB pieces, as `POST /v1/accounts/{id}/contacts/import` does; the export writes every page of `exportContacts`, as `GET …/contacts/export` does. The baseline is SQLite itself: the same rows (contacts, contact_tags, contact_lists, field_values, with their indexes and triggers) inserted with prepared statements in one transaction, in the same run.\n")
        print("| rows | import | rows/s | raw INSERT | import ÷ raw | export | rows/s | RSS before import | peak RSS during import |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for count in [10_000, 100_000] {
            let file = directory.appendingPathComponent("contacts-\(count).csv")
            try writeContactsFile(file, rows: count)
            let target = try await paidAccount(database, agencyID: agencyID, name: "Import \(count)")
            let before = Measure.residentBytes()
            var peak = before
            let imported = try await Measure.timed {
                var session = ContactCSVImport(database: database, accountID: target, importID: try await database.beginContactImport(accountID: target, source: .csv).id, options: ContactImportOptions())
                let handle = try FileHandle(forReadingFrom: file)
                defer { try? handle.close() }
                while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                    try await session.feed(chunk)
                    peak = max(peak, Measure.residentBytes())
                }
                return try await session.finish()
            }
            guard imported.value.created == count, imported.value.failed == 0 else {
                throw BenchError("the import of \(count) rows created \(imported.value.created), refused \(imported.value.failed): \(imported.value.failures.prefix(3))")
            }
            let exportFile = directory.appendingPathComponent("export-\(count).csv")
            let exported = try await Measure.time {
                _ = FileManager.default.createFile(atPath: exportFile.path, contents: nil)
                let handle = try FileHandle(forWritingTo: exportFile)
                defer { try? handle.close() }
                var after: Int64? = 0
                var header = true
                while let next = after {
                    let page = try await database.exportContacts(accountID: target, after: next, header: header)
                    try handle.write(contentsOf: page.csv)
                    header = false
                    after = page.nextAfter
                }
            }
            let baselineAccount = try await paidAccount(database, agencyID: agencyID, name: "Raw \(count)")
            let baseline = try await Measure.time { try await rawInsert(raw, accountID: baselineAccount, rows: count) }
            print("| \(count) | \(String(format: "%.2f s", imported.seconds)) | \(Int(Double(count) / imported.seconds)) | \(String(format: "%.2f s", baseline)) | \(Measure.ratio(imported.seconds / baseline)) | \(String(format: "%.2f s", exported)) | \(Int(Double(count) / exported)) | \(Measure.mib(Double(before))) | \(Measure.mib(Double(peak))) |")
            try await database.deleteAccount(id: target, agencyID: agencyID)
            try await database.deleteAccount(id: baselineAccount, agencyID: agencyID)
        }
        print("\ntarget: import ≤ 3× the raw INSERT; peak memory flat from 10,000 to 100,000 rows.\n")
    }

    /// A paid account with 30 tags, 5 lists and 5 text fields, named as the file names them.
    func paidAccount(_ database: AppDatabase, agencyID: Int64, name: String) async throws -> Int64 {
        let account = try await database.createAccount(agencyID: agencyID, name: name, kind: .paid, passwordHash: "-", makeUsername: { UUID().uuidString }).account.id
        for tag in 1...30 { _ = try await database.createAsset(accountID: account, try AssetKind.tag.spec.draft(from: ["tag": .string("Tag \(tag)")])) }
        for list in 1...5 { _ = try await database.createAsset(accountID: account, try AssetKind.list.spec.draft(from: ["name": .string("List \(list)")])) }
        for field in 1...5 { _ = try await database.createAsset(accountID: account, try AssetKind.field.spec.draft(from: ["title": .string("Field \(field)")])) }
        return account
    }

    /// Row `index`'s values, shared by the file and the raw baseline so both write the same rows.
    func contactRow(_ index: Int) -> (email: String, first: String, last: String, phone: String, tags: [Int], lists: [Int], values: [String]) {
        (
            "contact\(index)@example.com", "Jürgen \(index % 997)", "Müller-\(index % 113)", "+49 30 \(1_000_000 + index)",
            [index % 30 + 1, (index + 7) % 30 + 1, (index + 19) % 30 + 1], [index % 5 + 1, (index + 2) % 5 + 1],
            (1...5).map { "value \($0) of contact \(index), with a comma" }
        )
    }

    func writeContactsFile(_ url: URL, rows: Int) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        CSVWriter.append(ContactCSV.header(fieldTitles: (1...5).map { "Field \($0)" }), to: &bytes)
        for index in 0..<rows {
            let row = contactRow(index)
            CSVWriter.append(
                [row.email, row.first, row.last, row.phone, CSVNameList.join(row.tags.map { "Tag \($0)" }), CSVNameList.join(row.lists.map { "List \($0)" }), ""] + row.values,
                to: &bytes
            )
            if bytes.count > 1 << 20 {
                try handle.write(contentsOf: bytes)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: bytes)
    }

    /// The same rows, straight into the tables with prepared statements, in one transaction.
    func rawInsert(_ raw: DatabaseQueue, accountID: Int64, rows: Int) async throws {
        let ids = try await raw.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, id FROM assets WHERE account_id = ? ORDER BY kind, id", arguments: [accountID])
                .reduce(into: [String: [Int64]]()) { $0[$1[0], default: []].append($1[1]) }
        }
        let (tags, lists, fields) = (ids["tag"]!, ids["list"]!, ids["field"]!)
        try await raw.writeWithoutTransaction { db in
            // The product's writer has a 64 MiB page cache (AppDatabase.configuration); so does the baseline.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            try db.inTransaction {
            let now = Timestamp.now()
            let contact = try db.makeStatement(sql: "INSERT INTO contacts (account_id, id, email, first_name, last_name, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            let tag = try db.makeStatement(sql: "INSERT INTO contact_tags (account_id, id, contact_id, tag_id, created_at) VALUES (?, ?, ?, ?, ?)")
            let list = try db.makeStatement(sql: "INSERT INTO contact_lists (account_id, id, contact_id, list_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)")
            let value = try db.makeStatement(sql: "INSERT INTO field_values (account_id, id, contact_id, field_id, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
            var (tagID, listID, valueID): (Int64, Int64, Int64) = (0, 0, 0)
            for index in 0..<rows {
                let row = contactRow(index)
                let id = Int64(index + 1)
                try contact.execute(arguments: [accountID, id, row.email, row.first, row.last, row.phone, now, now])
                for number in row.tags { tagID += 1; try tag.execute(arguments: [accountID, tagID, id, tags[number - 1], now]) }
                for number in row.lists { listID += 1; try list.execute(arguments: [accountID, listID, id, lists[number - 1], now, now]) }
                for (field, text) in zip(fields, row.values) { valueID += 1; try value.execute(arguments: [accountID, valueID, id, field, text, now, now]) }
            }
            return .commit
            }
        }
    }
}

extension Measure {
    /// The process's resident memory now, from /proc/self/statm.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}
