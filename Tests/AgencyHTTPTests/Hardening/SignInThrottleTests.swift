import AgencyDomain
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import Testing
@testable import AgencyHTTP

/// Issue 27: sign-ins took guesses as fast as bcrypt allowed, and a flood of them made a real
/// sign-in wait seconds. Failures now earn waits answered at once with 429, and password work waits
/// in a bounded queue answered 503 when full.
@Suite("Sign-in throttling and the password queue, through POST /v1/login")
struct SignInThrottleTests {
    static func settings(_ limits: SignInLimits) -> ServiceSettings {
        ServiceSettings(publicURL: "https://snapshots.test", bcryptCost: 10, signIn: limits)
    }

    /// Runs `body` against a router with these limits, after making a sandbox whose credentials it gets.
    static func withSandbox<T: Sendable>(
        _ service: TestService, limits: SignInLimits, queue: PasswordQueue? = nil,
        _ body: @Sendable (APIClient, _ username: String, _ password: String) async throws -> T
    ) async throws -> T {
        let router = buildRouter(database: service.database, settings: settings(limits), passwordQueue: queue)
        return try await Application(router: router).test(.router) { client in
            let api = APIClient(client: client)
            let (_, created) = try await api.createSandbox("Yoga Loft", agency: service.agencyA)
            let credentials = try #require(created.json["credentials"] as? [String: String])
            return try await body(api, try #require(credentials["username"]), try #require(credentials["password"]))
        }
    }

    static func login(_ api: APIClient, _ username: String, _ password: String) async throws -> APIClient.Reply {
        try await api.request(.post, "/v1/login", json: ["username": username, "password": password])
    }

    /// Given 3 free failures per username, when a username fails 3 times, then the next attempt,
    /// even with the right password, is answered at once 429 `too_many_attempts` with
    /// `Retry-After` (the first wait, 60 s here); a success before that clears the count. (That a
    /// wait ends and doubles is shown with a given clock in `SignInThrottleUnitTests`.)
    @Test func failuresEarnA429WithRetryAfterAndSuccessResets() async throws {
        let service = try await TestService()
        let limits = SignInLimits(freeFailuresPerUsername: 3, freeFailuresPerAddress: 1000, firstDelaySeconds: 60)
        try await Self.withSandbox(service, limits: limits) { api, username, password in
            // Two failures, then a success: the count starts afresh.
            for _ in 0..<2 { #expect(try await Self.login(api, username, "wrong").status == .unauthorized) }
            #expect(try await Self.login(api, username, password).status == .ok)
            for _ in 0..<2 { #expect(try await Self.login(api, username, "wrong").status == .unauthorized) }
            #expect(try await Self.login(api, username, password).status == .ok, "a success cleared the first two failures")

            for _ in 0..<3 { #expect(try await Self.login(api, username, "wrong").status == .unauthorized) }
            let refused = try await Self.login(api, username, password)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.errorCode == "too_many_attempts")
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...60).contains(retryAfter))
            #expect(refused.error?.message.contains("try again in \(retryAfter) s") == true)
            // Case does not make another username.
            #expect(try await Self.login(api, username.uppercased(), password).status == .tooManyRequests)
            // Another username from the same address is not kept waiting.
            #expect(try await Self.login(api, "someone-else", "wrong").status == .unauthorized)
        }
    }

    /// Given 3 free failures per address and many per username, when one address fails with three
    /// different usernames, then a fourth username, and the right password of a real one, get 429.
    @Test func oneAddressIsThrottledAcrossUsernames() async throws {
        let service = try await TestService()
        let limits = SignInLimits(freeFailuresPerUsername: 100, freeFailuresPerAddress: 3, firstDelaySeconds: 60)
        try await Self.withSandbox(service, limits: limits) { api, username, password in
            for name in ["alice-xx", "bob-xx", "carol-xx"] {
                #expect(try await Self.login(api, name, "guess").status == .unauthorized)
            }
            let other = try await Self.login(api, "dave-xx", "guess")
            #expect(other.status == .tooManyRequests && other.errorCode == "too_many_attempts" && other.headers[.retryAfter] != nil)
            #expect(try await Self.login(api, username, password).status == .tooManyRequests, "the address waits, whatever the username")
        }
    }

    /// Given one bcrypt worker and no room to wait, when the worker is held (as a running hash
    /// holds it), then a sign-in is answered at once 503 `busy` with `Retry-After`, and counted as
    /// no failure; when the worker is free again, the same sign-in works.
    @Test func aFullPasswordQueueAnswers503() async throws {
        let service = try await TestService()
        let queue = PasswordQueue(workers: 1, signInQueue: 0)
        try await Self.withSandbox(service, limits: SignInLimits(freeFailuresPerUsername: 1, freeFailuresPerAddress: 1), queue: queue) { api, username, password in
            try await queue.acquire(.signIn)
            let busy = try await Self.login(api, username, password)
            #expect(busy.status == .serviceUnavailable)
            #expect(busy.errorCode == "busy")
            #expect(busy.headers[.retryAfter] == "1")
            #expect(try await Self.login(api, username, "wrong").status == .serviceUnavailable)
            queue.release()
            #expect(try await Self.login(api, username, password).status == .ok, "503s are not failures: no wait was earned")
        }
    }

    /// Given the queue full of sign-ins, when the agency provisions an account, then it waits for a
    /// worker instead of being refused, goes ahead of waiting sign-ins, and is created.
    @Test func provisioningWaitsRatherThanBeingRefused() async throws {
        let service = try await TestService()
        let queue = PasswordQueue(workers: 1, signInQueue: 1)
        try await Self.withSandbox(service, limits: SignInLimits(), queue: queue) { api, username, password in
            try await queue.acquire(.signIn)
            let waitingSignIn = Task { try await Self.login(api, username, password) }
            try await Self.until { queue.load.waitingSignIns == 1 }
            #expect(try await Self.login(api, username, password).status == .serviceUnavailable, "the sign-in queue is full")

            let provisioning = Task { try await api.createSandbox("Second", agency: service.agencyA) }
            try await Self.until { queue.load.waitingProvisioning == 1 }
            queue.release()
            #expect(try await provisioning.value.reply.status == .created)
            #expect(try await waitingSignIn.value.status == .ok)
            #expect(queue.load.running == 0)
        }
    }

    /// Refused sign-ins are counted in the metrics by surface and reason.
    @Test func refusalsAreCountedInTheMetrics() async throws {
        let metrics = MetricsForTests.shared
        let service = try await TestService()
        let queue = PasswordQueue(workers: 1, signInQueue: 0)
        try await Self.withSandbox(service, limits: SignInLimits(freeFailuresPerUsername: 1, freeFailuresPerAddress: 1000, firstDelaySeconds: 60), queue: queue) { api, username, _ in
            #expect(try await Self.login(api, username, "wrong").status == .unauthorized)
            #expect(try await Self.login(api, username, "wrong").status == .tooManyRequests)
            try await queue.acquire(.signIn)
            #expect(try await Self.login(api, "someone-else", "wrong").status == .serviceUnavailable)
            queue.release()
        }
        let text = try await Application(router: buildMetricsRouter(metrics: metrics, database: service.database)).test(.router) { client in
            String(buffer: try await client.executeRequest(uri: "/metrics", method: .get, headers: [:], body: nil).body)
        }
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("agency_sign_ins_refused_total{") }
        for reason in ["throttled", "busy"] {
            let line = lines.first { $0.contains(#"surface="api""#) && $0.contains(#"reason="\#(reason)""#) }
            #expect(line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { $0 >= 1 } == true, "\(reason): \(lines)")
        }
    }

    /// Waits (yielding, without a clock) until `condition` holds; fails after many tries.
    static func until(_ condition: @Sendable () -> Bool) async throws {
        for _ in 0..<10_000 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("the condition never held")
    }
}

@Suite("Sign-in throttle and password queue, as units")
struct SignInThrottleUnitTests {
    /// The wait starts at the last free failure, doubles, stops at the cap, and is forgotten after
    /// the key has been idle long enough.
    @Test func waitsDoubleUpToTheCapAndAreForgotten() {
        let throttle = SignInThrottle(freeFailures: 2, maxDelaySeconds: 5, capacity: 10)
        let start = ContinuousClock.now
        throttle.failed("k", now: start)
        #expect(throttle.retryAfter("k", now: start) == nil)
        throttle.failed("k", now: start)
        #expect(throttle.retryAfter("k", now: start) == 1)
        var waits: [Int?] = []
        for _ in 0..<4 {
            throttle.failed("k", now: start)
            waits.append(throttle.retryAfter("k", now: start))
        }
        #expect(waits == [2, 4, 5, 5])
        #expect(throttle.retryAfter("k", now: start + .seconds(6)) == nil)
        throttle.failed("k", now: start + .seconds(16 * 60))
        #expect(throttle.retryAfter("k", now: start + .seconds(16 * 60)) == nil, "idle for 15 minutes: the count began again")
        throttle.clear("k")
        #expect(throttle.count == 0)
    }

    /// However many keys fail, the table holds at most its capacity; the stalest goes first.
    @Test func theTableIsBounded() {
        let throttle = SignInThrottle(freeFailures: 1, maxDelaySeconds: 60, capacity: 100)
        let start = ContinuousClock.now
        for index in 0..<1_000 { throttle.failed("user-\(index)", now: start + .milliseconds(index)) }
        #expect(throttle.count == 100)
        #expect(throttle.retryAfter("user-999", now: start + .seconds(1)) != nil)
        #expect(throttle.retryAfter("user-0", now: start + .seconds(1)) == nil)
    }

    /// The client address is the socket's peer; an IPv6 client counts by its /64, an IPv4-mapped
    /// one as its IPv4 address.
    @Test func addressesAreKeyedByPeer() throws {
        #expect(ClientAddress(try SocketAddress(ipAddress: "192.0.2.7", port: 4000)).key == "192.0.2.7")
        let one = ClientAddress(try SocketAddress(ipAddress: "2001:db8:1:2:aaaa::1", port: 1))
        let two = ClientAddress(try SocketAddress(ipAddress: "2001:db8:1:2:bbbb::9", port: 2))
        #expect(one == two && one.key == "2001:0db8:0001:0002::/64")
        #expect(ClientAddress(try SocketAddress(ipAddress: "2001:db8:1:3::1", port: 1)) != one)
        #expect(ClientAddress(try SocketAddress(ipAddress: "::ffff:192.0.2.7", port: 1)).key == "192.0.2.7")
        #expect(ClientAddress(nil).key == "unknown")
    }

    /// One address gets at most `concurrentPerAddress` sign-ins checked at once: past that it is
    /// answered `busy` at once and the refusal counts as its failure (soon a wait, 429), while
    /// another address is let through.
    @Test func oneAddressCannotFillTheQueue() async throws {
        let signInGuard = SignInGuard(limits: SignInLimits(freeFailuresPerAddress: 2, firstDelaySeconds: 60, concurrentPerAddress: 2))
        let held = PasswordQueue(workers: 1, signInQueue: 100)
        try await held.acquire(.signIn)
        let flooder = ClientAddress(key: "198.51.100.1")
        let waiting = (0..<2).map { _ in
            Task { try await signInGuard.attempt(.api, username: nil, from: flooder) { try await held.run(.signIn) { 1 } } }
        }
        try await SignInThrottleTests.until { held.load.waitingSignIns == 2 }
        for _ in 0..<2 {
            await #expect(throws: DomainError.busy(retryAfter: 1)) { try await signInGuard.attempt(.api, username: nil, from: flooder) { 0 } }
        }
        await #expect(throws: DomainError.self) { try await signInGuard.attempt(.api, username: nil, from: flooder) { 0 } }
        #expect(signInGuard.addresses.retryAfter(flooder.key) != nil, "the refusals counted: the address waits")
        #expect(try await signInGuard.attempt(.api, username: nil, from: ClientAddress(key: "203.0.113.9")) { 2 } == 2, "another host is let in")
        held.release()
        for task in waiting { #expect(try await task.value == 1) }
        #expect(signInGuard.inFlight.count == 0, "nothing left in flight")
    }

    /// A request's context takes the client address from its channel's peer, as the server makes it.
    @Test func theContextReadsThePeerOfTheChannel() throws {
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "192.0.2.44", port: 50_000)).wait()
        let context = AppRequestContext(source: .init(channel: channel, logger: Logger(label: "test")))
        #expect(context.clientAddress.key == "192.0.2.44")
    }

    /// A sign-in waits while a worker is busy and there is room; past the room it is refused.
    @Test func theQueueRefusesPastItsRoom() async throws {
        let queue = PasswordQueue(workers: 1, signInQueue: 1)
        try await queue.acquire(.signIn)
        let waiter = Task { try await queue.run(.signIn) { 42 } }
        try await SignInThrottleTests.until { queue.load.waitingSignIns == 1 }
        await #expect(throws: DomainError.busy(retryAfter: 1)) { try await queue.acquire(.signIn) }
        queue.release()
        #expect(try await waiter.value == 42)
        #expect(queue.load.running == 0)
    }
}
