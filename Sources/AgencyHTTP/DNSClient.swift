import AgencyDomain
import Foundation
import NIOCore
import NIOPosix

/// A small DNS client over UDP (RFC 1035 §4.2.1): one TXT question to one resolver, the reply read
/// with a timeout. The socket is NIO's, so waiting blocks no event loop. Used only to verify custom
/// domains; tests point it at a fake resolver on loopback, never at the internet.
struct DNSClient: Sendable {
    let resolver: SocketAddress
    let timeout: TimeAmount

    struct LookupFailed: Error, Equatable {
        var reason: String
    }

    init(resolver: SocketAddress, timeout: TimeAmount = .seconds(3)) {
        self.resolver = resolver
        self.timeout = timeout
    }

    /// `host:port`, `[v6]:port` or a bare address (port 53).
    init(resolver text: String, timeout: TimeAmount = .seconds(3)) throws {
        var host = text
        var port = 53
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let value = Int(rest.dropFirst()), (1...65535).contains(value) else { throw LookupFailed(reason: "bad resolver port in \(text)") }
                port = value
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = String(text[..<colon])
            guard let value = Int(text[text.index(after: colon)...]), (1...65535).contains(value) else { throw LookupFailed(reason: "bad resolver port in \(text)") }
            port = value
        }
        do {
            self.init(resolver: try SocketAddress(ipAddress: host, port: port), timeout: timeout)
        } catch {
            throw LookupFailed(reason: "the DNS resolver \(text) is not an IP address with an optional port")
        }
    }

    /// The first `nameserver` line of a resolv.conf, as the system's resolver would use it.
    static func systemResolver(resolvConf: String = "/etc/resolv.conf") -> String? {
        guard let text = try? String(contentsOfFile: resolvConf, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count >= 2, words[0] == "nameserver" { return String(words[1]) }
        }
        return nil
    }

    func txtRecords(of name: String) async throws -> DNSTXTMessage.Answer {
        let id = UInt16.random(in: 0...UInt16.max)
        let query = try DNSTXTMessage.query(id: id, name: name)
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: DNSTXTMessage.Answer.self)
        let handler = ReplyHandler(id: id, resolver: resolver, promise: promise)
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: group)
                .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) } }
                .bind(host: resolver.protocol == .inet6 ? "::" : "0.0.0.0", port: 0)
                .get()
        } catch {
            // A promise left uncompleted is a leak NIO traps on.
            promise.fail(error)
            throw LookupFailed(reason: "cannot open a socket to the DNS resolver")
        }
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            handler.finish(.failure(LookupFailed(reason: "no answer from the DNS resolver within \(timeout.nanoseconds / 1_000_000) ms")))
        }
        defer {
            deadline.cancel()
            // Completes the promise if the send failed before any answer or deadline did (a no-op otherwise).
            channel.eventLoop.execute { handler.finish(.failure(CancellationError())) }
            channel.close(promise: nil)
        }
        var buffer = channel.allocator.buffer(capacity: query.count)
        buffer.writeBytes(query)
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: resolver, data: buffer))
        return try await promise.futureResult.get()
    }

    /// Takes the first datagram from the resolver that answers this query; ignores anything else.
    /// Everything it does runs on its channel's event loop (the timeout is scheduled there too), so
    /// `finished` needs no lock and the promise is completed once.
    final class ReplyHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let id: UInt16
        let resolver: SocketAddress
        let promise: EventLoopPromise<DNSTXTMessage.Answer>
        private var finished = false

        init(id: UInt16, resolver: SocketAddress, promise: EventLoopPromise<DNSTXTMessage.Answer>) {
            self.id = id
            self.resolver = resolver
            self.promise = promise
        }

        func finish(_ result: Result<DNSTXTMessage.Answer, any Error>) {
            guard !finished else { return }
            finished = true
            promise.completeWith(result)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard envelope.remoteAddress == resolver else { return }
            do {
                if let answer = try DNSTXTMessage.answer(Array(envelope.data.readableBytesView), id: id) { finish(.success(answer)) }
            } catch let malformed as DNSTXTMessage.Malformed {
                finish(.failure(LookupFailed(reason: malformed.reason)))
            } catch {
                finish(.failure(LookupFailed(reason: "\(error)")))
            }
        }

        /// E.g. ICMP port unreachable: nothing listens at the resolver's address.
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            finish(.failure(LookupFailed(reason: "the DNS resolver could not be reached (\(error))")))
        }
    }
}
