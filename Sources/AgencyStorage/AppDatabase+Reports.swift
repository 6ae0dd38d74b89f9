import AgencyDomain
import Foundation
import GRDB

extension AppDatabase {
    // MARK: - Contacts in automations

    /// Enrols a contact in an automation; one already running there is returned as it is.
    public func enrol(accountID: Int64, contactID: Int64, automationID: Int64) async throws -> (run: ContactAutomation, created: Bool) {
        try await writer.write { db in
            try Self.requireContact(accountID: accountID, id: contactID, field: "contactAutomation.contact", db)
            try Self.requireAsset(accountID: accountID, kind: .automation, id: automationID, field: "contactAutomation.automation", db)
            if try Self.isErased(accountID: accountID, contactID: contactID, db) {
                throw DomainError.conflict(code: "contact_erased", message: "Contact \(contactID) was erased: it enters no automation.")
            }
            if let running = try Int64.fetchOne(
                db, sql: "SELECT id FROM contact_automations WHERE account_id = ? AND contact_id = ? AND automation_id = ? AND status = 1",
                arguments: [accountID, contactID, automationID]
            ) {
                return (try Self.contactAutomation(accountID: accountID, id: running, db), false)
            }
            let id = try db.nextID("contact_automations", in: accountID)
            try db.execute(
                sql: "INSERT INTO contact_automations (account_id, id, contact_id, automation_id, added_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [accountID, id, contactID, automationID, Timestamp.now()]
            )
            return (try Self.contactAutomation(accountID: accountID, id: id, db), true)
        }
    }

    /// Runs of one contact, or of the account; newest last.
    public func contactAutomations(accountID: Int64, contactID: Int64?, page: Page) async throws -> (runs: [ContactAutomation], total: Int) {
        try quickRead { db in
            if let contactID { try Self.requireContact(accountID: accountID, id: contactID, field: nil, db) }
            let filter = contactID == nil ? "" : " AND contact_id = :contact"
            let arguments: StatementArguments = ["account": accountID, "contact": contactID, "limit": page.limit, "offset": page.offset]
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM contact_automations WHERE account_id = :account" + filter, arguments: arguments)!
            let rows = try Row.fetchAll(db, sql: Self.runSelect + " WHERE account_id = :account" + filter + " ORDER BY id LIMIT :limit OFFSET :offset", arguments: arguments)
            return (rows.map(Self.contactAutomation(from:)), total)
        }
    }

    public func contactAutomation(accountID: Int64, id: Int64) async throws -> ContactAutomation {
        try quickRead { db in try Self.contactAutomation(accountID: accountID, id: id, db) }
    }

    /// Takes a contact out of an automation: the run is kept, exited, and the automation's `exited` counts it.
    public func endContactAutomation(accountID: Int64, id: Int64) async throws {
        try await writer.write { db in
            _ = try Self.contactAutomation(accountID: accountID, id: id, db)
            try db.execute(
                sql: "UPDATE contact_automations SET status = 2, removed_at = ? WHERE account_id = ? AND id = ? AND status = 1",
                arguments: [Timestamp.now(), accountID, id]
            )
        }
    }

    /// `entered` and `exited` of the given automations (0 for those no contact has entered).
    public func automationCounters(accountID: Int64, ids: [Int64]) async throws -> [Int64: (entered: Int, exited: Int)] {
        guard !ids.isEmpty else { return [:] }
        return try quickRead { db in
            var counters: [Int64: (entered: Int, exited: Int)] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT id, entered, exited FROM automation_reports WHERE account_id = ? AND id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
                arguments: StatementArguments([accountID] + ids)
            ) {
                counters[row[0]] = (row[1], row[2])
            }
            return counters
        }
    }

    static let runSelect = "SELECT id, contact_id, automation_id, status, added_at, removed_at FROM contact_automations"

    static func contactAutomation(accountID: Int64, id: Int64, _ db: Database) throws -> ContactAutomation {
        guard let row = try Row.fetchOne(db, sql: runSelect + " WHERE account_id = ? AND id = ?", arguments: [accountID, id]) else {
            throw DomainError.notFound(what: "contactAutomation \(id)")
        }
        return contactAutomation(from: row)
    }

    static func contactAutomation(from row: Row) -> ContactAutomation {
        ContactAutomation(id: row[0], contactID: row[1], automationID: row[2], status: row[3], addedAt: row[4], removedAt: row[5])
    }

    // MARK: - Campaign reports

    /// The counters of the given campaigns.
    public func campaignReports(accountID: Int64, ids: [Int64]) async throws -> [Int64: CampaignReport] {
        guard !ids.isEmpty else { return [:] }
        return try quickRead { db in try Self.campaignReports(accountID: accountID, ids: ids, db) }
    }

    /// Records an event of a campaign's email and counts it; an unsubscribe also unsubscribes the
    /// contact from the campaign's lists. A contact's first event of a type (of a link, for clicks)
    /// counts once more, as unique.
    public func recordCampaignEvent(
        accountID: Int64, campaignID: Int64, type: CampaignEventType, contactID: Int64?, link: String?
    ) async throws -> CampaignReport {
        try await writer.write { db in
            let campaign = try Self.asset(accountID: accountID, kind: .campaign, id: campaignID, db)
            if let contactID { try Self.requireContact(accountID: accountID, id: contactID, field: "event.contact", db) }
            let now = Timestamp.now()
            let seen = try contactID.map { contactID in
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM campaign_events WHERE account_id = ? AND campaign_id = ? AND type = ? AND contact_id = ? AND link IS ?",
                    arguments: [accountID, campaignID, type.rawValue, contactID, type == .click ? link : nil]
                ) ?? false
            } ?? false
            try db.execute(
                sql: "INSERT INTO campaign_events (account_id, id, campaign_id, contact_id, type, link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [accountID, try db.nextID("campaign_events", in: accountID), campaignID, contactID, type.rawValue, type == .click ? link : nil, now]
            )
            try Self.count(type.counter, by: 1, campaignID: campaignID, accountID: accountID, now: now, db)
            if let unique = type.uniqueCounter, contactID != nil, !seen {
                try Self.count(unique, by: 1, campaignID: campaignID, accountID: accountID, now: now, db)
            }
            if type == .unsubscribe, let contactID {
                let lists = (campaign.body["lists"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { Int64($0) } }
                for list in lists {
                    try db.execute(
                        sql: "UPDATE contact_lists SET status = 2, updated_at = ? WHERE account_id = ? AND contact_id = ? AND list_id = ? AND status = 1",
                        arguments: [now, accountID, contactID, list]
                    )
                }
            }
            return try Self.campaignReports(accountID: accountID, ids: [campaignID], db)[campaignID] ?? CampaignReport()
        }
    }

    /// The links of a campaign's email (its message's, else its template's `href`s), with their clicks.
    public func campaignLinks(accountID: Int64, campaignID: Int64) async throws -> [(url: String, clicks: Int, uniqueClicks: Int)] {
        try quickRead { db in
            let campaign = try Self.asset(accountID: accountID, kind: .campaign, id: campaignID, db)
            var html = ""
            if let id = campaign.body["message"]?.stringValue.flatMap({ Int64($0) }) {
                html = try Self.asset(accountID: accountID, kind: .message, id: id, db).body["html"]?.stringValue ?? ""
            } else if let id = campaign.body["template"]?.stringValue.flatMap({ Int64($0) }) {
                html = try Self.asset(accountID: accountID, kind: .template, id: id, db).body["html"]?.stringValue ?? ""
            }
            var clicks: [String: (Int, Int)] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT link, count(*), count(DISTINCT contact_id) FROM campaign_events WHERE account_id = ? AND campaign_id = ? AND type = 'click' GROUP BY link",
                arguments: [accountID, campaignID]
            ) {
                if let link: String = row[0] { clicks[link] = (row[1], row[2]) }
            }
            return CampaignLinks.hrefs(in: html).map { url in (url, clicks[url]?.0 ?? 0, clicks[url]?.1 ?? 0) }
        }
    }

    /// Adds to a counter, making the campaign's report on its first count.
    static func count(_ counter: String, by amount: Int, campaignID: Int64, accountID: Int64, now: String, _ db: Database) throws {
        precondition(CampaignReport.counterNames.contains(counter))
        try db.execute(
            sql: """
                INSERT INTO campaign_reports (account_id, id, \(counter), created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (account_id, id) DO UPDATE SET \(counter) = \(counter) + excluded.\(counter), updated_at = excluded.updated_at
                """,
            arguments: [accountID, campaignID, amount, now, now]
        )
    }

    static func campaignReports(accountID: Int64, ids: [Int64], _ db: Database) throws -> [Int64: CampaignReport] {
        var reports: [Int64: CampaignReport] = [:]
        for row in try Row.fetchAll(
            db,
            sql: "SELECT id, \(CampaignReport.counterNames.joined(separator: ", ")) FROM campaign_reports WHERE account_id = ? AND id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
            arguments: StatementArguments([accountID] + ids)
        ) {
            var counters: [String: Int] = [:]
            for (index, name) in CampaignReport.counterNames.enumerated() { counters[name] = row[index + 1] }
            reports[row[0]] = CampaignReport(counters: counters)
        }
        return reports
    }
}
