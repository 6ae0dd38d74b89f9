import AgencyAPI
import AgencyDomain
import AgencyHTTP
import AgencyStorage
import AgencyTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore

/// A service on a fresh SQLite file, with two agencies, driven through its router. The file goes
/// when the test lets go of the service.
struct TestService: Sendable {
    let database: AppDatabase
    let file: TemporaryDatabaseFile
    var databasePath: String { file.path }
    /// Agency API tokens of two unrelated agencies.
    let agencyA: String
    let agencyB: String

    static let settings = ServiceSettings(publicURL: "https://snapshots.test", bcryptCost: 10)

    init() async throws {
        file = TemporaryDatabaseFile()
        database = try AppDatabase.open(path: file.path)
        agencyA = Secrets.newToken(prefix: "agency")
        agencyB = Secrets.newToken(prefix: "agency")
        try await database.createAgency(name: "Agency A", tokenDigest: Secrets.digest(ofToken: agencyA))
        try await database.createAgency(name: "Agency B", tokenDigest: Secrets.digest(ofToken: agencyB))
    }

    /// A router over this service's database, as `agency serve` builds it.
    func router() -> Router<AppRequestContext> {
        buildRouter(database: database, settings: Self.settings, sync: .ephemeral(outbound: .loopbackForTests))
    }

    /// Runs `body` against the router, without a socket.
    func test<T: Sendable>(_ body: @Sendable (APIClient) async throws -> T) async throws -> T {
        let app = Application(router: router())
        return try await app.test(.router) { client in try await body(APIClient(client: client)) }
    }
}

/// Sends JSON requests and reads JSON replies.
struct APIClient: Sendable {
    let client: any TestClientProtocol

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: Data

        /// The body as a JSON object; empty when it is not one.
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }

        var text: String { String(decoding: body, as: UTF8.self) }

        /// The body in its wire type (`AgencyAPI`), as a client would read it.
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder().decode(T.self, from: body)
        }

        /// An agency API error, read as its wire type.
        var error: ErrorReply.Detail? { try? decode(ErrorReply.self).error }

        /// `error.code` of an agency API error.
        var errorCode: String? { error?.code }

        /// The first `errors[]` entry of a v3 error.
        var firstV3Error: [String: Any]? { (json["errors"] as? [[String: Any]])?.first }
    }

    func request(
        _ method: HTTPRequest.Method, _ uri: String, agency token: String? = nil, apiToken: String? = nil,
        json: Any? = nil, raw: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let apiToken { headers[HTTPField.Name("Api-Token")!] = apiToken }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            headers[.contentType] = "application/json"
        } else if let raw {
            body = ByteBuffer(string: raw)
        }
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        return Reply(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
    }

    /// Creates a sandbox for the agency and returns its id and full creation reply.
    func createSandbox(_ name: String, agency token: String) async throws -> (id: Int, reply: Reply) {
        let reply = try await request(.post, "/v1/sandboxes", agency: token, json: ["name": name])
        return (reply.json["id"] as? Int ?? -1, reply)
    }

    /// A per-account API token for the account.
    func accountToken(_ accountID: Int, agency token: String) async throws -> String {
        try await request(.post, "/v1/accounts/\(accountID)/tokens", agency: token).json["token"] as? String ?? ""
    }

    /// A fresh sandbox and a token for its per-account API.
    func sandboxWithToken(agency token: String) async throws -> (id: Int, apiToken: String) {
        let (id, _) = try await createSandbox("Workshop", agency: token)
        return (id, try await accountToken(id, agency: token))
    }

    func createContact(_ email: String, apiToken: String) async throws -> Reply {
        try await request(.post, "/api/3/contacts", apiToken: apiToken, json: ["contact": ["email": email]])
    }
}

/// The fitness-studio sandbox setup shared by the asset, snapshot and benchmark tests.
enum Fixtures {
    static var fitnessStudio: Data {
        get throws {
            let url = URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures/fitness-studio.bundle.json")
            return try Data(contentsOf: url)
        }
    }
}

extension APIClient {
    /// Sends a raw JSON document.
    func request(_ method: HTTPRequest.Method, _ uri: String, agency token: String, data: Data) async throws -> Reply {
        let response = try await client.executeRequest(
            uri: uri, method: method, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: ByteBuffer(bytes: data)
        )
        return Reply(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
    }

    /// A sandbox loaded with the fitness-studio fixture, and a per-account token for it.
    func fitnessSandbox(agency token: String) async throws -> (id: Int, apiToken: String) {
        let (id, apiToken) = try await sandboxWithToken(agency: token)
        let applied = try await request(.put, "/v1/accounts/\(id)/bundle", agency: token, data: try Fixtures.fitnessStudio)
        guard applied.status == .ok else { throw FixtureError(reply: applied.text) }
        return (id, apiToken)
    }
}

struct FixtureError: Error { var reply: String }

/// The fitness sandbox and a snapshot of it: where most snapshot and provisioning tests start.
struct FitnessSnapshot {
    var sandboxID: Int
    var sandboxToken: String
    var snapshot: SnapshotBody
    var snapshotID: Int { Int(snapshot.id) }
}

extension APIClient {
    func fitnessSnapshot(agency token: String) async throws -> FitnessSnapshot {
        let (sandboxID, sandboxToken) = try await fitnessSandbox(agency: token)
        let reply = try await request(.post, "/v1/snapshots", agency: token, json: ["sandbox_id": sandboxID, "name": "Fitness v1"])
        guard reply.status == .created else { throw FixtureError(reply: reply.text) }
        return FitnessSnapshot(sandboxID: sandboxID, sandboxToken: sandboxToken, snapshot: try reply.decode(SnapshotBody.self))
    }
}
