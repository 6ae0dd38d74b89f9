import AgencyDomain
import AgencyHTTP
import AgencyStorage
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HummingbirdBcrypt
import Logging
import Synchronization

extension Benchmarks {
    /// 9. Sign-in floods (issue 27): one legitimate `POST /v1/login` repeated, alone and while
    /// `--flood-tasks` tasks send wrong sign-ins as fast as they are answered, each case on a fresh
    /// `agency serve`-like service on loopback, side by side. Every request comes from 127.0.0.1, so the
    /// "many addresses" cases lift the per-address limit to stand for a flood from many hosts.
    func signInFlood(_ database: AppDatabase, agencyID: Int64) async throws {
        print("## 9. Sign-in floods\n")
        let cost: UInt8 = 12
        let password = "bench-password-\(UUID().uuidString)"
        let username = "bench-signin-\(UUID().uuidString.prefix(8).lowercased())"
        _ = try await database.createAccount(
            agencyID: agencyID, name: "Sign-in bench", kind: .trial, passwordHash: Bcrypt.hash(password, cost: cost), makeUsername: { username }
        )
        let unbounded = SignInLimits(freeFailuresPerUsername: 1 << 30, freeFailuresPerAddress: 1 << 30, concurrentPerAddress: 1 << 30, hashQueue: 1 << 30)
        let manyAddresses = SignInLimits(freeFailuresPerAddress: 1 << 30, concurrentPerAddress: 1 << 30)
        let cases: [(String, SignInLimits, Bool)] = [
            ("no flood", SignInLimits(), false),
            ("flood, no bounds (as before issue 27)", unbounded, true),
            ("flood from many addresses (the queue bounds it)", manyAddresses, true),
            ("flood from the sign-in's own address (throttled; the sign-in shares its fate)", SignInLimits(), true),
        ]
        print("bcrypt cost \(cost), \(options.floodTasks) flood tasks sending wrong passwords for made-up usernames, \(options.signIns) legitimate sign-ins one after the other per case; default limits unless named (`--hash-queue 8`, one hash worker per core).\n")
        print("| case | legitimate: median | p90 | max | legitimate answers | flood requests | 401 | 429 | 503 |")
        print("|---|---:|---:|---:|---|---:|---:|---:|---:|")
        for (index, (name, limits, flooding)) in cases.enumerated() {
            let result = try await signInCase(
                database, port: 18_600 + index, limits: limits, cost: cost, username: username, password: password, flooding: flooding
            )
            let sorted = result.latencies.sorted()
            let answers = result.legitimate.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ")
            let flood = flooding ? "\(result.flood.values.reduce(0, +)) | \(result.flood[401, default: 0]) | \(result.flood[429, default: 0]) | \(result.flood[503, default: 0])" : "— | — | — | —"
            print("| \(name) | \(Measure.ms(Measure.median(sorted))) | \(Measure.ms(sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.9))])) | \(Measure.ms(sorted.last ?? .nan)) | \(answers) | \(flood) |")
        }
        print("")
    }

    struct SignInCaseResult {
        var latencies: [Double]
        var legitimate: [Int: Int]
        var flood: [Int: Int]
    }

    private func signInCase(
        _ database: AppDatabase, port: Int, limits: SignInLimits, cost: UInt8, username: String, password: String, flooding: Bool
    ) async throws -> SignInCaseResult {
        var logger = Logger(label: "bench-signin")
        // Stopping the service by cancelling its task logs errors that say nothing about sign-ins.
        logger.logLevel = .critical
        let app = buildApplication(
            database: database, settings: ServiceSettings(publicURL: "http://127.0.0.1:\(port)", bcryptCost: cost, signIn: limits),
            address: ServerAddress(host: "127.0.0.1", port: port), logger: logger
        )
        let serving = Task { try await app.runService() }
        defer { serving.cancel() }
        let url = URL(string: "http://127.0.0.1:\(port)/v1/login")!
        let legitimateSession = URLSession(configuration: .ephemeral)
        try await waitForLogin(url, session: legitimateSession)

        let stop = StopFlag()
        let floodTasks = flooding ? options.floodTasks : 0
        let floodConfiguration = URLSessionConfiguration.ephemeral
        floodConfiguration.httpMaximumConnectionsPerHost = max(1, options.floodTasks)
        let floodSession = URLSession(configuration: floodConfiguration)
        let flood = Task {
            try await withThrowingTaskGroup(of: [Int: Int].self) { group in
                for task in 0..<floodTasks {
                    group.addTask {
                        var statuses: [Int: Int] = [:]
                        var attempt = 0
                        while !stop.isSet {
                            attempt += 1
                            let status = try await Self.signIn(url, session: floodSession, username: "guess-\(task)-\(attempt)", password: "wrong")
                            statuses[status, default: 0] += 1
                        }
                        return statuses
                    }
                }
                var total: [Int: Int] = [:]
                for try await statuses in group { total.merge(statuses, uniquingKeysWith: +) }
                return total
            }
        }
        if flooding { try await Task.sleep(for: .milliseconds(500)) }
        var latencies: [Double] = []
        var legitimate: [Int: Int] = [:]
        for _ in 0..<options.signIns {
            var status = 0
            latencies.append(try await Measure.time {
                status = try await Self.signIn(url, session: legitimateSession, username: username, password: password)
            })
            legitimate[status, default: 0] += 1
        }
        stop.set()
        return SignInCaseResult(latencies: latencies, legitimate: legitimate, flood: try await flood.value)
    }

    private static func signIn(_ url: URL, session: URLSession, username: String, password: String) async throws -> Int {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["username": username, "password": password])
        let (_, response) = try await session.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    /// Until the service answers (an unknown username, so no throttle is touched by the probe).
    private func waitForLogin(_ url: URL, session: URLSession) async throws {
        for _ in 0..<100 {
            if (try? await Self.signIn(url, session: session, username: "probe-\(UUID().uuidString)", password: "x")) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError("the sign-in service on \(url) did not answer")
    }
}

/// Tells the flood's tasks to finish their request in flight and stop.
private final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}
