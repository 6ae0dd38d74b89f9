import Foundation
import Testing

@Suite("Credentials: generated, hashed, and they log in")
struct CredentialsTests {
    /// The generated username and password log in and yield a working per-account token.
    @Test func generatedCredentialsLogIn() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (id, created) = try await api.createSandbox("Yoga Loft", agency: service.agencyA)
            let credentials = try #require(created.json["credentials"] as? [String: String])
            let login = try await api.request(.post, "/v1/login", json: ["username": credentials["username"]!, "password": credentials["password"]!])
            #expect(login.status == .ok)
            #expect(login.json["account_id"] as? Int == id)
            let token = try #require(login.json["token"] as? String)
            let contacts = try await api.request(.get, "/api/3/contacts", apiToken: token)
            #expect(contacts.status == .ok)
        }
    }

    /// A wrong password and an unknown username get the very same 401 answer.
    @Test func wrongCredentialsDoNotSayWhichPartWasWrong() async throws {
        let service = try await TestService()
        try await service.test { api in
            let (_, created) = try await api.createSandbox("Yoga Loft", agency: service.agencyA)
            let username = try #require((created.json["credentials"] as? [String: String])?["username"])
            let wrongPassword = try await api.request(.post, "/v1/login", json: ["username": username, "password": "not-it"])
            let wrongUser = try await api.request(.post, "/v1/login", json: ["username": "nobody-xxxxxx", "password": "not-it"])
            let empty = try await api.request(.post, "/v1/login", json: [String: String]())
            #expect(wrongPassword.status == .unauthorized)
            #expect(wrongPassword.body == wrongUser.body)
            #expect(empty.status == .unauthorized)
        }
    }

    /// Usernames are unique across accounts even for the same account name; passwords differ.
    @Test func credentialsAreUniquePerAccount() async throws {
        let service = try await TestService()
        try await service.test { api in
            var usernames = Set<String>()
            var passwords = Set<String>()
            for _ in 0..<5 {
                let credentials = try #require(try await api.createSandbox("Same Name", agency: service.agencyA).reply.json["credentials"] as? [String: String])
                usernames.insert(credentials["username"]!)
                passwords.insert(credentials["password"]!)
            }
            #expect(usernames.count == 5)
            #expect(passwords.count == 5)
        }
    }

    /// Neither passwords nor API tokens appear in plain text anywhere in the database files;
    /// passwords are bcrypt hashes of cost >= 10.
    @Test func secretsAreNeverStoredInPlainText() async throws {
        let service = try await TestService()
        let secrets: [String] = try await service.test { api in
            let (id, created) = try await api.createSandbox("Secretive", agency: service.agencyA)
            let credentials = try #require(created.json["credentials"] as? [String: String])
            let accountToken = try await api.accountToken(id, agency: service.agencyA)
            let login = try await api.request(.post, "/v1/login", json: ["username": credentials["username"]!, "password": credentials["password"]!])
            return [credentials["password"]!, accountToken, login.json["token"] as! String, service.agencyA, service.agencyB]
        }
        var stored = Data()
        for suffix in ["", "-wal"] {
            stored.append((try? Data(contentsOf: URL(fileURLWithPath: service.databasePath + suffix))) ?? Data())
        }
        #expect(stored.count > 0)
        for secret in secrets {
            #expect(stored.range(of: Data(secret.utf8)) == nil, "a secret was found in the database file")
        }
        #expect(stored.range(of: Data("$2b$10$".utf8)) != nil || stored.range(of: Data("$2a$10$".utf8)) != nil || stored.range(of: Data("$2y$10$".utf8)) != nil)
    }
}
