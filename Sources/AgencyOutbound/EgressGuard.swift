import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The one door out: an HTTP CONNECT proxy on 127.0.0.1 (a random port) that the outbound client
/// sends every request through. For each CONNECT it resolves the host once, checks every address
/// against the policy and connects to the address it checked, so a name that resolves differently a
/// second later (DNS rebinding) cannot swap it. TLS runs inside the tunnel, end to end by host name.
/// A refused target gets 403, one that cannot be reached 502; the caller has already been told why
/// by its own pre-check with the same policy and resolver.
final class EgressGuard: Sendable {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// `password` is this process's own: a CONNECT without it (another process on the host) gets 407.
    static func start(
        policy: OutboundPolicy, resolver: any OutboundResolver, connectTimeout: TimeAmount, password: String, group: any EventLoopGroup, logger: Logger
    ) async throws -> EgressGuard {
        let expected = Array("Basic \(Data("agency:\(password)".utf8).base64EncodedString())".utf8)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
                    let encoder = HTTPResponseEncoder()
                    try channel.pipeline.syncOperations.addHandler(decoder, name: "decoder")
                    try channel.pipeline.syncOperations.addHandler(encoder, name: "encoder")
                    try channel.pipeline.syncOperations.addHandler(ConnectHandler(
                        policy: policy, resolver: resolver, connectTimeout: connectTimeout, expectedAuthorization: expected, logger: logger
                    ))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return EgressGuard(channel: channel)
    }

    func stop() async {
        try? await channel.close()
    }
}

/// Reads one CONNECT request, then becomes a splice between the caller and the checked address.
private final class ConnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let policy: OutboundPolicy
    let resolver: any OutboundResolver
    let connectTimeout: TimeAmount
    let expectedAuthorization: [UInt8]
    let logger: Logger
    var target: (host: String, port: Int)?
    var started = false

    init(policy: OutboundPolicy, resolver: any OutboundResolver, connectTimeout: TimeAmount, expectedAuthorization: [UInt8], logger: Logger) {
        self.policy = policy
        self.resolver = resolver
        self.connectTimeout = connectTimeout
        self.expectedAuthorization = expectedAuthorization
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard head.method == .CONNECT, let colon = head.uri.lastIndex(of: ":"), let port = Int(head.uri[head.uri.index(after: colon)...]),
                  (1...65535).contains(port) else {
                return answer(context: context, status: .methodNotAllowed)
            }
            guard Self.sameBytes(Array((head.headers.first(name: "Proxy-Authorization") ?? "").utf8), expectedAuthorization) else {
                return answer(context: context, status: .proxyAuthenticationRequired)
            }
            target = (String(head.uri[..<colon]), port)
        case .body:
            break
        case .end:
            guard let target, !started else { return }
            started = true
            open(context: context, host: target.host, port: target.port)
        }
    }

    private func open(context: ChannelHandlerContext, host: String, port: Int) {
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        let policy = policy, resolver = resolver, timeout = connectTimeout, logger = logger
        let checked = loop.makeFutureWithTask { try await policy.check(host: host, resolver: resolver) }
        checked.flatMap { addresses -> EventLoopFuture<any Channel> in
            let bootstrap = ClientBootstrap(group: loop).connectTimeout(timeout).channelOption(.socketOption(.tcp_nodelay), value: 1)
            // The checked address, never the name: no second lookup.
            guard let first = addresses.first, let address = try? SocketAddress(ipAddress: first.description, port: port) else {
                return loop.makeFailedFuture(OutboundRefused(host: host, message: "'\(host)' has no usable address."))
            }
            return bootstrap.connect(to: address)
        }.whenComplete { result in
            let (handler, context) = bound.value
            switch result {
            case .success(let upstream):
                handler.splice(context: context, upstream: upstream)
            case .failure(let error as OutboundRefused):
                logger.info("outbound call refused", metadata: ["host": "\(host)", "reason": "\(error.message)"])
                handler.answer(context: context, status: .forbidden)
            case .failure:
                handler.answer(context: context, status: .badGateway)
            }
        }
    }

    /// Constant-time comparison, as for every secret of the service.
    static func sameBytes(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        guard given.count == expected.count else { return false }
        var difference: UInt8 = 0
        for index in given.indices { difference |= given[index] ^ expected[index] }
        return difference == 0
    }

    private func answer(context: ChannelHandlerContext, status: HTTPResponseStatus) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "0")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    private func splice(context: ChannelHandlerContext, upstream: any Channel) {
        guard context.channel.isActive else {
            upstream.close(promise: nil)
            return
        }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        let (local, remote) = GlueHandler.matchedPair()
        do {
            try context.pipeline.syncOperations.addHandler(local)
            try upstream.pipeline.syncOperations.addHandler(remote)
        } catch {
            upstream.close(promise: nil)
            context.close(promise: nil)
            return
        }
        // The decoder goes last: bytes it holds past the CONNECT head flow on to the splice.
        let pipeline = context.pipeline
        pipeline.removeHandler(context: context, promise: nil)
        pipeline.removeHandler(name: "encoder", promise: nil)
        pipeline.removeHandler(name: "decoder", promise: nil)
    }
}
