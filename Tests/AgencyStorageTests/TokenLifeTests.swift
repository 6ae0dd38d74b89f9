import AgencyDomain
import Foundation
import GRDB
import Testing
@testable import AgencyStorage

@Suite("Token and session life cycle in storage")
struct TokenLifeTests {
    func agency(_ database: AppDatabase, token: String = Secrets.newToken(prefix: "agency")) async throws -> Int64 {
        try await database.createAgency(name: "Agency", tokenDigest: Secrets.digest(ofToken: token))
    }

    /// A lookup that read the database before an invalidation and finishes after it is not cached:
    /// the next lookup asks the database again.
    @Test func aLookupBegunBeforeAnInvalidationIsNotCached() {
        let cache = TokenCache()
        let digest: [UInt8] = [1, 2, 3]
        var loads = 0
        let first = cache.owner(table: "t", digest: digest, now: Date()) {
            loads += 1
            cache.invalidate()   // a revocation commits while this lookup is under way
            return TokenCache.Loaded(owner: 7, expires: nil)
        }
        #expect(first == 7)
        let second = cache.owner(table: "t", digest: digest, now: Date()) { loads += 1; return nil }
        #expect(second == nil)
        #expect(loads == 2)
        // Without an invalidation in between, the answer is cached.
        _ = cache.owner(table: "t", digest: digest, now: Date()) { loads += 1; return TokenCache.Loaded(owner: 8, expires: nil) }
        #expect(cache.owner(table: "t", digest: digest, now: Date()) { loads += 1; return nil } == 8)
        #expect(loads == 3)
    }

    /// A cached token with an end is refused from its end on, without asking the database.
    @Test func aCachedTokenEndsAtItsEnd() {
        let cache = TokenCache()
        let end = Date().addingTimeInterval(60)
        #expect(cache.owner(table: "t", digest: [9], now: Date()) { TokenCache.Loaded(owner: 1, expires: end) } == 1)
        #expect(cache.cachedOwner(table: "t", digest: [9], now: end.addingTimeInterval(-1)) == 1)
        #expect(cache.cachedOwner(table: "t", digest: [9], now: end) == nil)
    }

    /// Rotation with a grace period: both tokens open the agency until the end, then only the new one.
    @Test func rotationWithGrace() async throws {
        let database = try AppDatabase.inMemory()
        let old = Secrets.newToken(prefix: "agency")
        let agencyID = try await agency(database, token: old)
        let new = Secrets.newToken(prefix: "agency")
        let start = Date()
        let end = try await database.rotateAgencyToken(agencyID: agencyID, newDigest: Secrets.digest(ofToken: new), grace: 600, now: start)
        #expect(end == Timestamp.string(from: start.addingTimeInterval(600)))
        #expect(try await database.agencyID(forTokenDigest: Secrets.digest(ofToken: old), now: start.addingTimeInterval(590)) == agencyID)
        #expect(try await database.agencyID(forTokenDigest: Secrets.digest(ofToken: new), now: start.addingTimeInterval(590)) == agencyID)
        #expect(try await database.agencyID(forTokenDigest: Secrets.digest(ofToken: old), now: start.addingTimeInterval(601)) == nil)
        #expect(try await database.agencyID(forTokenDigest: Secrets.digest(ofToken: new), now: start.addingTimeInterval(601)) == agencyID)
        // A second rotation without grace ends both earlier tokens at once.
        let newest = Secrets.newToken(prefix: "agency")
        try await database.rotateAgencyToken(agencyID: agencyID, newDigest: Secrets.digest(ofToken: newest), now: start.addingTimeInterval(10))
        #expect(try await database.agencyID(forTokenDigest: Secrets.digest(ofToken: new), now: start.addingTimeInterval(11)) == nil)
        #expect(try await database.agencyID(forTokenDigest: Secrets.digest(ofToken: newest), now: start.addingTimeInterval(11)) == agencyID)
        await #expect(throws: DomainError.self) {
            try await database.rotateAgencyToken(agencyID: 999, newDigest: Secrets.digest(ofToken: Secrets.newToken(prefix: "agency")))
        }
    }

    /// Rotation ends the agency's dashboard sessions; its clients' sessions (signed in with a
    /// password) stay.
    @Test func rotationEndsTheAgencysSessions() async throws {
        let database = try AppDatabase.inMemory()
        let agencyID = try await agency(database)
        let (account, _) = try await database.createAccount(agencyID: agencyID, name: "Gym", kind: .trial, passwordHash: "x", makeUsername: { "gym-1" })
        let agencySession = Secrets.digest(ofToken: SessionSecrets.newSessionID())
        let clientSession = Secrets.digest(ofToken: SessionSecrets.newSessionID())
        try await database.startAgencySession(agencyID: agencyID, digest: agencySession)
        try await database.startClientSession(accountID: account.id, digest: clientSession)
        try await database.rotateAgencyToken(agencyID: agencyID, newDigest: Secrets.digest(ofToken: Secrets.newToken(prefix: "agency")))
        #expect(try await database.dashboardSession(digest: agencySession) == nil)
        #expect(try await database.dashboardSession(digest: clientSession) != nil)
    }

    /// "Last used" is written when the token is loaded and more than a minute has passed since the
    /// last record; a cache hit writes nothing.
    @Test func lastUsedIsRecordedAtMostOnceAMinute() async throws {
        let database = try AppDatabase.inMemory()
        let agencyID = try await agency(database)
        let (account, _) = try await database.createAccount(agencyID: agencyID, name: "Gym", kind: .trial, passwordHash: "x", makeUsername: { "gym-1" })
        let token = Secrets.newToken(prefix: "acct")
        try await database.addAccountToken(accountID: account.id, agencyID: agencyID, digest: Secrets.digest(ofToken: token))
        func lastUsed() async throws -> String? {
            try await database.accountTokens(accountID: account.id, agencyID: agencyID).first?.lastUsedAt
        }
        #expect(try await lastUsed() == nil)
        let start = Date()
        #expect(try await database.accountID(forTokenDigest: Secrets.digest(ofToken: token), now: start) == account.id)
        #expect(try await lastUsed() == Timestamp.string(from: start))
        // A cache hit, much later: nothing is written.
        #expect(try await database.accountID(forTokenDigest: Secrets.digest(ofToken: token), now: start.addingTimeInterval(3600)) == account.id)
        #expect(try await lastUsed() == Timestamp.string(from: start))
        // Loaded again 30 seconds on: still within the minute, nothing is written.
        database.tokens.invalidate()
        _ = try await database.accountID(forTokenDigest: Secrets.digest(ofToken: token), now: start.addingTimeInterval(30))
        #expect(try await lastUsed() == Timestamp.string(from: start))
        // Loaded again after a minute: recorded.
        database.tokens.invalidate()
        _ = try await database.accountID(forTokenDigest: Secrets.digest(ofToken: token), now: start.addingTimeInterval(61))
        #expect(try await lastUsed() == Timestamp.string(from: start.addingTimeInterval(61)))
    }

    /// A session ends after its idle time; using it moves that forward, at most once a minute.
    @Test func aSessionEndsWhenIdle() async throws {
        let database = try AppDatabase.inMemory()
        let agencyID = try await agency(database)
        let digest = Secrets.digest(ofToken: SessionSecrets.newSessionID())
        let start = Date()
        try await database.startAgencySession(agencyID: agencyID, digest: digest, now: start)
        func lastSeen() async throws -> String? {
            try await database.writer.read { db in try String.fetchOne(db, sql: "SELECT last_seen_at FROM dashboard_sessions") }
        }
        let idle: TimeInterval = 1800
        #expect(try await database.dashboardSession(digest: digest, now: start.addingTimeInterval(30), idleTimeout: idle) != nil)
        #expect(try await lastSeen() == Timestamp.string(from: start))   // within the minute: no write
        #expect(try await database.dashboardSession(digest: digest, now: start.addingTimeInterval(1700), idleTimeout: idle) != nil)
        #expect(try await lastSeen() == Timestamp.string(from: start.addingTimeInterval(1700)))
        #expect(try await database.dashboardSession(digest: digest, now: start.addingTimeInterval(3400), idleTimeout: idle) != nil)
        #expect(try await database.dashboardSession(digest: digest, now: start.addingTimeInterval(3400 + 1801), idleTimeout: idle) == nil)
    }

    /// The account's tokens are listed only for its own agency.
    @Test func tokensAreListedOnlyForTheirAgency() async throws {
        let database = try AppDatabase.inMemory()
        let agencyID = try await agency(database)
        let other = try await agency(database)
        let (account, _) = try await database.createAccount(agencyID: agencyID, name: "Gym", kind: .trial, passwordHash: "x", makeUsername: { "gym-1" })
        let tokenID = try await database.addAccountToken(accountID: account.id, agencyID: agencyID, digest: Secrets.digest(ofToken: Secrets.newToken(prefix: "acct")))
        await #expect(throws: DomainError.self) { try await database.accountTokens(accountID: account.id, agencyID: other) }
        await #expect(throws: DomainError.self) { try await database.revokeAccountToken(tokenID: tokenID, accountID: account.id, agencyID: other) }
        #expect(try await database.accountTokens(accountID: account.id, agencyID: agencyID).map(\.id) == [tokenID])
    }
}
