import AgencyHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 10, defect 6: a request that announced a large body and sent a few bytes held its
/// connection for as long as the client liked. The server now closes it at a deadline.
@Suite("Slow clients cannot hold connections")
struct SlowClientTests {
    static let limits = ServerLimits(requestReadTimeout: .seconds(1), idleTimeout: .seconds(1), maxConnections: 8)
    /// A request that announces a large body and sends four bytes of it.
    static let trickledHead = "POST /v1/sandboxes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"na"

    /// The server closes the connection soon after the 1 s deadline, well before the 10 s this waits.
    static func expectClosedSoon(_ socket: RawSocket) async {
        let (closed, seconds) = await RawSocket.blocking { socket.waitForClose(atMost: 10) }
        #expect(closed)
        #expect(seconds < 8)
    }

    /// A body that trickles: the connection is closed soon after the read deadline, well before
    /// the 10 s this test waits at most.
    @Test func trickledBodyIsCutOff() async throws {
        try await Self.withLiveServer { port in
            let socket = try RawSocket(port: port)
            try socket.send(Self.trickledHead)
            await Self.expectClosedSoon(socket)
        }
    }

    /// The deadline is armed for every request of a kept-alive connection, not only its first: a whole
    /// request answered, then a second one whose body trickles, is cut off all the same.
    @Test func trickledSecondRequestIsCutOff() async throws {
        try await Self.withLiveServer { port in
            let socket = try RawSocket(port: port)
            try socket.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(await RawSocket.blocking { socket.read(until: #"{"status":"ok"}"#, atMost: 10) }.contains("200 OK"))
            try socket.send(Self.trickledHead)
            await Self.expectClosedSoon(socket)
        }
    }

    /// A connection that never sends a request is closed after the idle timeout.
    @Test func silentConnectionIsClosed() async throws {
        try await Self.withLiveServer { port in
            let socket = try RawSocket(port: port)
            try socket.send("GET /hea")
            await Self.expectClosedSoon(socket)
        }
    }

    /// A request that arrives in time is served as before on the same settings.
    @Test func promptRequestIsServed() async throws {
        try await Self.withLiveServer { port in
            let socket = try RawSocket(port: port)
            try socket.send("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            #expect(await RawSocket.blocking { socket.readAll(atMost: 10) }.contains("200 OK"))
        }
    }

    static func withLiveServer(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let service = try await TestService()
        let app = buildApplication(
            database: service.database, settings: TestService.settings, address: ServerAddress(host: "127.0.0.1", port: 0),
            limits: limits, logger: Logger(label: "slow-client-test")
        )
        try await app.test(.live) { client in
            try await body(try #require(client.port))
        }
    }
}

/// A plain TCP client, to send what no HTTP client library would: half a request.
final class RawSocket: Sendable {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw CocoaError(.fileReadUnknown) }
    }

    deinit { close(descriptor) }

    /// Runs a blocking read on a thread of its own. On the cooperative pool (two threads on a 2-core
    /// machine) the tests' reads, waiting seconds each, left no thread for the servers they wait on.
    static func blocking<T: Sendable>(_ read: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: read()) }.start()
        }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, 0) == bytes.count else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Reads until the server closes the connection or `seconds` pass: whether it closed, and when.
    func waitForClose(atMost seconds: Int) -> (closed: Bool, seconds: Double) {
        let start = Date()
        setReceiveTimeout(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 { continue }
            let elapsed = Date().timeIntervalSince(start)
            // 0 is an orderly close, ECONNRESET an abrupt one; EAGAIN means our own timeout passed.
            return (count == 0 || errno == ECONNRESET, elapsed)
        }
    }

    func readAll(atMost seconds: Int) -> String {
        setReceiveTimeout(seconds)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { return String(decoding: received, as: UTF8.self) }
            received += buffer[0..<count]
        }
    }

    /// Reads until the text has arrived (the connection stays open) or `seconds` pass.
    func read(until text: String, atMost seconds: Int) -> String {
        setReceiveTimeout(seconds)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: received, as: UTF8.self).contains(text) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    private func setReceiveTimeout(_ seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}
