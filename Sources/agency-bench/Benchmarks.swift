import AgencyBenchSupport
import AgencyDomain
import AgencyStorage
import Foundation
import GRDB
import HummingbirdBcrypt

struct BenchOptions {
    var runs: Int
    var accounts: Int
    var snapshots: Int
    var wrkSeconds: Int
    /// Section 9: concurrent tasks sending wrong sign-ins, and legitimate sign-ins timed per case.
    var floodTasks: Int
    var signIns: Int
    /// Contacts subscribed in section 10: each is one delivery to each of its 20 receivers.
    var outboundContacts: Int = 200
    /// Which of sections 2...10 to run (`--only 2,4`); the sandbox of section 1 is always built.
    var sections: Set<Int>
}

/// The measurements of issues 5, 12, 13, 15 and 27, in one run on one fresh SQLite file.
struct Benchmarks {
    let options: BenchOptions
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("agency-bench-\(UUID().uuidString)")
    var path: String { directory.appendingPathComponent("bench.sqlite").path }

    func run() async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if ProcessInfo.processInfo.environment["AGENCY_BENCH_KEEP"] == nil { try? FileManager.default.removeItem(at: directory) } }
        let database = try AppDatabase.open(path: path)
        // A second connection for what the product never does: raw copies, page counts, dbstat.
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let raw = try DatabaseQueue(path: path, configuration: configuration)
        let agencyID = try await database.createAgency(name: "Bench agency", tokenDigest: Secrets.digest(ofToken: UUID().uuidString))

        print("# Benchmark run\n")
        print("- machine: \(Machine.description)")
        print("- options: runs \(options.runs), accounts \(options.accounts), snapshots \(options.snapshots), wrk \(options.wrkSeconds) s\n")

        let shape = LargeSandboxShape()
        let (sandboxID, built) = try await Measure.timed { try await LargeSandbox.build(in: database, agencyID: agencyID, shape: shape) }
        let (assets, references, bytes) = try await raw.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM assets WHERE account_id = ?", arguments: [sandboxID])!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM asset_references WHERE account_id = ?", arguments: [sandboxID])!,
             try Int.fetchOne(db, sql: "SELECT sum(length(body)) FROM assets WHERE account_id = ?", arguments: [sandboxID])!)
        }
        print("## 1. The large sandbox\n")
        print("\(assets) assets, \(references) references, \(Measure.mib(Double(bytes))) of asset bodies, \(shape.contacts) contacts; built in \(String(format: "%.1f s", built)).\n")

        if options.sections.contains(2) { try await snapshotAndProvision(database, raw, agencyID: agencyID, sandboxID: sandboxID) }
        if options.sections.contains(3) { try await manyAccounts(database, raw, agencyID: agencyID, sandboxID: sandboxID) }
        if options.sections.contains(4) { try await manySnapshots(database, raw, agencyID: agencyID, sandboxID: sandboxID, assetCount: assets) }
        if options.sections.contains(5) { try await apiReads(database, agencyID: agencyID, sandboxID: sandboxID) }
        if options.sections.contains(6) { try await updates(database, raw, agencyID: agencyID, sandboxID: sandboxID) }
        if options.sections.contains(7) { try await contacts(database, raw, agencyID: agencyID) }
        if options.sections.contains(8) { try await contactSync(database, agencyID: agencyID) }
        if options.sections.contains(9) { try await signInFlood(database, agencyID: agencyID) }
        if options.sections.contains(10) { try await outboundIsolation(database, agencyID: agencyID) }
    }

    /// 2. Snapshot and provisioning against copying the same rows with INSERT … SELECT.
    func snapshotAndProvision(_ database: AppDatabase, _ raw: DatabaseQueue, agencyID: Int64, sandboxID: Int64) async throws {
        let scratch = try await database.createAccount(agencyID: agencyID, name: "Scratch", kind: .trial, passwordHash: "-", makeUsername: { "scratch-\(UUID().uuidString)" }).account.id
        var rawCopies: [Double] = []
        var snapshots: [Double] = []
        var provisions: [Double] = []
        var repeats: [Double] = []
        var edits: [Double] = []
        var clientEdits: [Double] = []
        let hash = Bcrypt.hash("benchmark password", cost: 12)
        for _ in 0..<options.runs {
            rawCopies.append(try await Measure.time {
                try await raw.write { db in
                    try db.execute(sql: """
                        INSERT INTO assets (account_id, kind, id, name, unique_key, body, created_at, updated_at)
                        SELECT ?, kind, id, name, unique_key, body, created_at, updated_at FROM assets WHERE account_id = ?
                        """, arguments: [scratch, sandboxID])
                    try db.execute(sql: """
                        INSERT INTO asset_references (account_id, from_kind, from_id, pointer, to_kind, to_id)
                        SELECT ?, from_kind, from_id, pointer, to_kind, to_id FROM asset_references WHERE account_id = ?
                        """, arguments: [scratch, sandboxID])
                }
            })
            try await raw.write { db in
                try db.execute(sql: "DELETE FROM asset_references WHERE account_id = ?", arguments: [scratch])
                try db.execute(sql: "DELETE FROM assets WHERE account_id = ?", arguments: [scratch])
            }

            // A first snapshot of the sandbox each time: the previous one is deleted, bodies and all.
            let snapshot = try await Measure.timed {
                try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "bench", includes: [])
            }
            snapshots.append(snapshot.seconds)
            let again = try await Measure.timed {
                try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "bench again", includes: [])
            }
            repeats.append(again.seconds)
            let account = try await Measure.timed { try await provision(database, agencyID: agencyID, snapshotID: snapshot.value.id, hash: hash) }
            provisions.append(account.seconds)
            // A client's first edit of a template (its body stops being shared), against the same edit in the sandbox.
            let template = Int64(1 + edits.count % 50)
            clientEdits.append(try await Measure.time { try await editTemplate(database, accountID: account.value, id: template, step: edits.count) })
            edits.append(try await Measure.time { try await editTemplate(database, accountID: sandboxID, id: template, step: edits.count) })
            try await database.deleteAccount(id: account.value, agencyID: agencyID)
            try await database.deleteSnapshot(id: again.value.id, agencyID: agencyID)
            try await database.deleteSnapshot(id: snapshot.value.id, agencyID: agencyID)
        }
        let hashTimes = try (0..<options.runs).map { _ in try Measure.timeSync { _ = Bcrypt.hash("benchmark password", cost: 12) } }
        let copy = Measure.median(rawCopies)
        print("## 2. Snapshot and provisioning against SQLite's own copy speed\n")
        print("Median of \(options.runs) runs, all in this process, interleaved.\n")
        print("| operation | median | ratio to raw copy | target |")
        print("|---|---:|---:|---:|")
        print("| raw copy: `INSERT … SELECT` of the sandbox's asset and reference rows, one transaction | \(Measure.ms(copy)) | 1.00× | |")
        print("| snapshot, first of this sandbox (strip images, hash, store bodies and versions) | \(Measure.ms(Measure.median(snapshots))) | \(Measure.ratio(Measure.median(snapshots) / copy)) | ≤ 2× |")
        print("| snapshot again, sandbox unchanged | \(Measure.ms(Measure.median(repeats))) | \(Measure.ratio(Measure.median(repeats) / copy)) | |")
        print("| provision one account, without the password hash (bodies and references shared with the snapshot) | \(Measure.ms(Measure.median(provisions))) | \(Measure.ratio(Measure.median(provisions) / copy)) | ≤ 0.3× |")
        print("| password hash, bcrypt cost 12 (on NIO's thread pool, before the transaction) | \(Measure.ms(Measure.median(hashTimes))) | | |\n")
        print("| edit of one template in the sandbox (its own body) | \(Measure.ms(Measure.median(edits))) | | |")
        print("| the same edit in a provisioned account, its first (the shared body becomes its own) | \(Measure.ms(Measure.median(clientEdits))) | \(Measure.ratio(Measure.median(clientEdits) / Measure.median(edits))) of the sandbox edit | ≤ 2× |\n")
        print("runs (ms): raw \(list(rawCopies)); snapshot \(list(snapshots)); provision \(list(provisions)); sandbox edit \(list(edits)); client edit \(list(clientEdits))\n")
    }

    /// 3. A thousand accounts from one snapshot: does provisioning slow down as the file grows?
    func manyAccounts(_ database: AppDatabase, _ raw: DatabaseQueue, agencyID: Int64, sandboxID: Int64) async throws {
        let snapshot = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "many", includes: [])
        let hash = Bcrypt.hash("benchmark password", cost: 10)
        // Start from a compact file, so that early provisions don't fill pages freed by section 2
        // while later ones grow the file: the comparison is then of like with like.
        try await raw.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
        let before = try await usedBytes(raw)
        var times: [Double] = []
        var cpu: [Double] = []
        for _ in 0..<options.accounts {
            let cpuBefore = Measure.cpuSeconds()
            times.append(try await Measure.time { _ = try await provision(database, agencyID: agencyID, snapshotID: snapshot.id, hash: hash) })
            cpu.append(Measure.cpuSeconds() - cpuBefore)
        }
        let after = try await usedBytes(raw)
        let first = Measure.median(Array(times.prefix(10)))
        let last = Measure.median(Array(times.suffix(10)))
        print("## 3. \(options.accounts) accounts from one snapshot\n")
        print("| | value | target |")
        print("|---|---:|---:|")
        print("| first 10 provisions, median | \(Measure.ms(first)) | |")
        print("| last 10 provisions, median | \(Measure.ms(last)) | |")
        print("| last 10 / first 10 | \(Measure.ratio(last / first)) | ≤ 1.2× |")
        let window = min(100, max(1, options.accounts / 10))
        let (firstWindow, lastWindow) = (Measure.median(Array(times.prefix(window))), Measure.median(Array(times.suffix(window))))
        print("| last \(window) / first \(window), medians (steadier on a noisy machine) | \(Measure.ratio(lastWindow / firstWindow)) | ≤ 1.2× |")
        print("| all \(options.accounts), median | \(Measure.ms(Measure.median(times))) | |")
        print("| CPU time (user + system) of a provision: first 10 / last 10, median | \(Measure.ms(Measure.median(Array(cpu.prefix(10))))) / \(Measure.ms(Measure.median(Array(cpu.suffix(10))))) | |")
        print("| database bytes per account | \(Measure.mib(Double(after - before) / Double(options.accounts))) | ≤ 1 MiB |")
        print("| database file after | \(Measure.mib(Double(after))) | |\n")
        let bucket = max(1, options.accounts / 10)
        let curve = stride(from: 0, to: times.count, by: bucket).map { Measure.median(Array(times[$0..<min($0 + bucket, times.count)])) }
        print("Median wall time per \(bucket) accounts, in order (ms): \(list(curve))\n")
        try await database.deleteSnapshot(id: snapshot.id, agencyID: agencyID)
    }

    /// 4. Snapshots of a sandbox that changes 1% of its assets between each: storage against one snapshot's.
    func manySnapshots(_ database: AppDatabase, _ raw: DatabaseQueue, agencyID: Int64, sandboxID: Int64, assetCount: Int) async throws {
        let keys = try await raw.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, id FROM assets WHERE account_id = ? ORDER BY kind, id", arguments: [sandboxID])
                .map { (AssetKind(rawValue: $0["kind"])!, $0["id"] as Int64) }
        }
        var generator = SplitMix64(state: 2026)
        let perStep = max(1, Int((Double(assetCount) / 100).rounded()))
        _ = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "step 1", includes: [])
        let one = try await snapshotBytes(raw)
        let oneByTable = try await snapshotBytesByTable(raw)
        var times: [Double] = []
        var changed: [AssetKind: Int] = [:]
        for step in 2...options.snapshots {
            for (kind, id) in keys.shuffled(using: &generator).prefix(perStep) {
                try await edit(database, sandboxID: sandboxID, kind: kind, id: id, step: step)
                changed[kind, default: 0] += 1
            }
            times.append(try await Measure.time {
                _ = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "step \(step)", includes: [])
            })
        }
        let all = try await snapshotBytes(raw)
        let allByTable = try await snapshotBytesByTable(raw)
        print("## 4. \(options.snapshots) snapshots, 1% of the assets changed between each\n")
        print("\(perStep) assets chosen at random (seeded) before each snapshot: templates get a sentence of their HTML edited, every other kind is renamed. Changes by kind: \(changed.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")).\n")
        print("| | value | target |")
        print("|---|---:|---:|")
        print("| one snapshot (tables and indexes, from dbstat) | \(Measure.mib(Double(one))) | |")
        print("| all \(options.snapshots) snapshots | \(Measure.mib(Double(all))) | |")
        print("| \(options.snapshots) / one | \(Measure.ratio(Double(all) / Double(one))) | ≤ 2× |")
        print("| snapshot after a 1% change, median | \(Measure.ms(Measure.median(times))) | |\n")
        print("Where the bytes are (tables and indexes):\n")
        print("| table or index | one snapshot | all \(options.snapshots) |")
        print("|---|---:|---:|")
        for (name, bytes) in allByTable.sorted(by: { $0.value > $1.value }) {
            print("| \(name) | \(Measure.mib(Double(oneByTable[name] ?? 0))) | \(Measure.mib(Double(bytes))) |")
        }
        print("")
    }

    /// 5. Per-account API reads under wrk, against a bare Hummingbird route, in the same run.
    func apiReads(_ database: AppDatabase, agencyID: Int64, sandboxID: Int64) async throws {
        let token = Secrets.newToken(prefix: "acct")
        try await database.addAccountToken(accountID: sandboxID, digest: Secrets.digest(ofToken: token))
        // A client account made from a snapshot of the sandbox: its templates are the snapshot's shared bodies.
        let snapshot = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "reads", includes: [])
        let client = try await provision(database, agencyID: agencyID, snapshotID: snapshot.id, hash: Bcrypt.hash("benchmark password", cost: 10))
        let clientToken = Secrets.newToken(prefix: "acct")
        try await database.addAccountToken(accountID: client, digest: Secrets.digest(ofToken: clientToken))
        let reads = try await LoadTest(directory: directory, databasePath: path, seconds: options.wrkSeconds).run(apiToken: token, clientToken: clientToken)
        print("## 5. Per-account API reads under load\n")
        print(reads)
    }

    // MARK: - Helpers

    func provision(_ database: AppDatabase, agencyID: Int64, snapshotID: Int64, hash: String) async throws -> Int64 {
        let outcome = try await database.provision(
            ProvisionRequest(
                agencyID: agencyID, snapshotID: snapshotID, name: "Client", kind: .paid, options: ProvisioningOptions(),
                passwordHash: hash, makeUsername: { Username.make(fromAccountName: "client") }, idempotency: nil
            )
        )
        guard case .created(let account, _) = outcome else { throw BenchError("provisioning replayed instead of creating") }
        return account.id
    }

    /// A template's subject changed, as a client or an agency edits one.
    func editTemplate(_ database: AppDatabase, accountID: Int64, id: Int64, step: Int) async throws {
        var body = try await database.asset(accountID: accountID, kind: .template, id: id).body
        body["subject"] = .string("Edited subject \(step)")
        _ = try await database.updateAsset(accountID: accountID, id: id, try AssetKind.template.spec.draft(from: body))
    }

    /// One change an agency makes: a template's copy edited, anything else renamed.
    func edit(_ database: AppDatabase, sandboxID: Int64, kind: AssetKind, id: Int64, step: Int) async throws {
        var body = try await database.asset(accountID: sandboxID, kind: kind, id: id).body
        if kind == .template, let html = body["html"]?.stringValue, let range = html.range(of: "Book a trial class today.") {
            body["html"] = .string(html.replacingCharacters(in: range, with: "Book a trial class this week (\(step))."))
        } else {
            let field = kind.spec.nameField
            body[field] = .string((body[field]?.stringValue ?? "") + " · \(step)")
        }
        _ = try await database.updateAsset(accountID: sandboxID, id: id, try kind.spec.draft(from: body))
    }

    /// Bytes in use (pages not on the free list), after folding the WAL into the file.
    func usedBytes(_ raw: DatabaseQueue) async throws -> Int {
        try await raw.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count")! - Int.fetchOne(db, sql: "PRAGMA freelist_count")!
            return try pages * Int.fetchOne(db, sql: "PRAGMA page_size")!
        }
    }

    /// Bytes of every page of the snapshot tables and their indexes.
    func snapshotBytes(_ raw: DatabaseQueue) async throws -> Int {
        try await raw.read { db in
            try Int.fetchOne(db, sql: "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'snapshot%' OR name LIKE 'sqlite_autoindex_snapshot%'")!
        }
    }

    func snapshotBytesByTable(_ raw: DatabaseQueue) async throws -> [String: Int] {
        try await raw.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: """
                SELECT name, sum(pgsize) AS bytes FROM dbstat
                WHERE name LIKE 'snapshot%' OR name LIKE 'sqlite_autoindex_snapshot%' GROUP BY name
                """).map { ($0["name"] as String, $0["bytes"] as Int) })
        }
    }

    func list(_ values: [Double]) -> String {
        values.map { String(format: "%.0f", $0 * 1000) }.joined(separator: ", ")
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Measure {
    static func timeSync(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
