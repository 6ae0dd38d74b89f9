import AgencyDomain
import AgencyStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import AgencyHTTP

/// Issue 10, defect 3: the decoy hash for an unknown username was cheaper (cost 10) than real
/// hashes (cost 12), so timing told which usernames exist. Both paths now do the same bcrypt work.
@Suite("Login does the same work for unknown and known usernames")
struct LoginTimingTests {
    /// The decoy is made at the cost the service hashes passwords with, whatever that is.
    @Test func decoyHasTheServiceCost() async throws {
        for cost: UInt8 in [10, 11] {
            let decoy = try await PasswordHasher(cost: cost).decoyHash()
            #expect(PasswordHasher.cost(of: decoy) == cost)
        }
    }

    /// A stored hash of an older cost is brought to the current one at its next good login, so stored
    /// hashes and the decoy converge after the cost changes.
    @Test func olderHashesAreRehashedAtLogin() async throws {
        let service = try await TestService()
        let (username, password) = try await service.test { api in
            let (_, reply) = try await api.createSandbox("Old Cost", agency: service.agencyA)
            let credentials = try #require(reply.json["credentials"] as? [String: String])
            return (try #require(credentials["username"]), try #require(credentials["password"]))
        }
        #expect(PasswordHasher.cost(of: try #require(try await service.database.user(named: username)).passwordHash) == 10)

        let stronger = ServiceSettings(publicURL: "https://snapshots.test", bcryptCost: 11)
        let app = Application(router: buildRouter(database: service.database, settings: stronger))
        try await app.test(.router) { client in
            let api = APIClient(client: client)
            let wrong = try await api.request(.post, "/v1/login", json: ["username": "nobody-here", "password": "x"])
            #expect(wrong.status == .unauthorized)
            let good = try await api.request(.post, "/v1/login", json: ["username": username, "password": password])
            #expect(good.status == .ok)
            let rehashed = try #require(try await service.database.user(named: username)).passwordHash
            #expect(PasswordHasher.cost(of: rehashed) == 11)
            let again = try await api.request(.post, "/v1/login", json: ["username": username, "password": password])
            #expect(again.status == .ok)
        }
    }
}
