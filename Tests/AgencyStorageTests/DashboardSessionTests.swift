import AgencyDomain
import AgencyStorage
import Foundation
import Testing

@Suite("Dashboard sessions in storage")
struct DashboardSessionTests {
    func agency(_ database: AppDatabase) async throws -> Int64 {
        try await database.createAgency(name: "Agency", tokenDigest: Secrets.digest(ofToken: Secrets.newToken(prefix: "agency")))
    }

    /// A session is found by its digest until it expires, and not a moment after.
    @Test func aSessionLastsItsLifetimeOnBothSides() async throws {
        let database = try AppDatabase.inMemory()
        let agencyID = try await agency(database)
        let digest = Secrets.digest(ofToken: SessionSecrets.newSessionID())
        let start = Date()
        try await database.startAgencySession(agencyID: agencyID, digest: digest, now: start)
        let justBefore = start.addingTimeInterval(AppDatabase.dashboardSessionLifetime - 1)
        let atExpiry = start.addingTimeInterval(AppDatabase.dashboardSessionLifetime)
        // An idle timeout longer than the lifetime, so that only the 8 hours count here.
        let neverIdle = AppDatabase.dashboardSessionLifetime * 2
        #expect(try await database.dashboardSession(digest: digest, now: justBefore, idleTimeout: neverIdle) == DashboardSession(
            kind: .agency, agencyID: agencyID, accountID: nil, expiresAt: Timestamp.string(from: atExpiry)
        ))
        #expect(try await database.dashboardSession(digest: digest, now: atExpiry, idleTimeout: neverIdle) == nil)
    }

    /// A client session names its account and the account's own agency, and goes with the account.
    @Test func aClientSessionGoesWithItsAccount() async throws {
        let database = try AppDatabase.inMemory()
        let agencyID = try await agency(database)
        let (account, _) = try await database.createAccount(
            agencyID: agencyID, name: "Gym", kind: .trial, passwordHash: "x", makeUsername: { "gym-1" }
        )
        let digest = Secrets.digest(ofToken: SessionSecrets.newSessionID())
        try await database.startClientSession(accountID: account.id, digest: digest)
        let session = try await database.dashboardSession(digest: digest)
        #expect(session?.kind == .client && session?.accountID == account.id && session?.agencyID == agencyID)
        try await database.deleteAccount(id: account.id, agencyID: agencyID)
        #expect(try await database.dashboardSession(digest: digest) == nil)
    }

    /// Ending a session removes it; another session id's digest finds nothing.
    @Test func endingASessionRemovesIt() async throws {
        let database = try AppDatabase.inMemory()
        let agencyID = try await agency(database)
        let digest = Secrets.digest(ofToken: SessionSecrets.newSessionID())
        try await database.startAgencySession(agencyID: agencyID, digest: digest)
        #expect(try await database.dashboardSession(digest: Secrets.digest(ofToken: SessionSecrets.newSessionID())) == nil)
        try await database.endDashboardSession(digest: digest)
        #expect(try await database.dashboardSession(digest: digest) == nil)
    }

    /// The migrator takes 0012 after 0010: numbers may have gaps (0011 is another line of work's).
    @Test func migrationsApplyAcrossAGap() throws {
        let applied = try AppDatabase.inMemory().appliedMigrations()
        #expect(applied.contains("0012_dashboard_sessions"))
    }
}
