import AgencyDomain
import AgencyStorage
import Foundation
import GRDB
import HummingbirdBcrypt

extension Benchmarks {
    /// 6. Updating a client account after 1% of the sandbox changed, against provisioning that account;
    /// then a push of such a change to 100 accounts.
    func updates(_ database: AppDatabase, _ raw: DatabaseQueue, agencyID: Int64, sandboxID: Int64) async throws {
        let hash = Bcrypt.hash("benchmark password", cost: 10)
        let keys = try await raw.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, id FROM assets WHERE account_id = ? ORDER BY kind, id", arguments: [sandboxID])
                .map { (AssetKind(rawValue: $0["kind"])!, $0["id"] as Int64) }
        }
        var random = SplitMix64(state: 6)
        let changesPerSnapshot = max(1, keys.count / 100)
        /// One percent of the sandbox's assets, edited as an agency edits them.
        func changeOnePercent(step: Int) async throws {
            for (kind, id) in keys.shuffled(using: &random).prefix(changesPerSnapshot) {
                try await edit(database, sandboxID: sandboxID, kind: kind, id: id, step: step)
            }
        }

        var provisions: [Double] = []
        var dryRuns: [Double] = []
        var updates: [Double] = []
        var lastReport: UpdateReport?
        for run in 0..<options.runs {
            let before = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "before", includes: [])
            let account = try await Measure.timed { try await provision(database, agencyID: agencyID, snapshotID: before.id, hash: hash) }
            provisions.append(account.seconds)
            // The client has made the account its own: five template subjects of its own.
            for template in 1...5 { try await editTemplate(database, accountID: account.value, id: Int64(template), step: run) }
            try await changeOnePercent(step: run)
            let after = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "after", includes: [])
            dryRuns.append(try await Measure.time {
                _ = try await database.updateAccount(id: account.value, agencyID: agencyID, options: UpdateOptions(snapshotID: after.id, dryRun: true))
            })
            let update = try await Measure.timed {
                try await database.updateAccount(id: account.value, agencyID: agencyID, options: UpdateOptions(snapshotID: after.id))
            }
            updates.append(update.seconds)
            lastReport = update.value
            try await database.deleteAccount(id: account.value, agencyID: agencyID)
            try await database.deleteSnapshot(id: after.id, agencyID: agencyID)
            try await database.deleteSnapshot(id: before.id, agencyID: agencyID)
        }

        // A push: 100 accounts made from one snapshot, 1% of the sandbox changed, pushed to all.
        let pushCount = 100
        let before = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "push before", includes: [])
        var accounts: [Int64] = []
        for _ in 0..<pushCount { accounts.append(try await provision(database, agencyID: agencyID, snapshotID: before.id, hash: hash)) }
        try await changeOnePercent(step: 1_000)
        let after = try await database.createSnapshot(agencyID: agencyID, sandboxID: sandboxID, name: "push after", includes: [])
        let push = try await Measure.timed {
            try await database.push(snapshotID: after.id, agencyID: agencyID, accountIDs: accounts, options: UpdateOptions(snapshotID: after.id))
        }
        let updated = push.value.filter { $0.status == .updated }.count
        for account in accounts { try await database.deleteAccount(id: account, agencyID: agencyID) }

        let provisioned = Measure.median(provisions)
        let counts = lastReport.map { report in report.counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") } ?? "-"
        print("## 6. Updates: a client account after 1% of the sandbox changed\n")
        print("\(keys.count) assets; each run changes \(changesPerSnapshot) of them (templates' copy, other assets renamed) and the client has edited 5 templates. Median of \(options.runs) runs.\n")
        print("| operation | median | ratio to provisioning | target |")
        print("|---|---:|---:|---:|")
        print("| provision the account (without the password hash) | \(Measure.ms(provisioned)) | 1.00× | |")
        print("| update it to the next snapshot, dry run | \(Measure.ms(Measure.median(dryRuns))) | \(Measure.ratio(Measure.median(dryRuns) / provisioned)) | |")
        print("| update it to the next snapshot | \(Measure.ms(Measure.median(updates))) | \(Measure.ratio(Measure.median(updates) / provisioned)) | ≤ 0.10× |")
        print("| push to \(pushCount) accounts (each its own transaction) | \(Measure.ms(push.seconds)) total, \(Measure.ms(push.seconds / Double(pushCount))) per account | \(Measure.ratio(push.seconds / Double(pushCount) / provisioned)) per account | |\n")
        print("last update: \(counts); push: \(updated) of \(pushCount) updated.\n")
        print("runs (ms): provision \(list(provisions)); dry run \(list(dryRuns)); update \(list(updates))\n")
    }
}
