import NIOCore
import NIOPosix

/// A TCP listener on 127.0.0.1 that misbehaves on purpose: a tarpit accepts and never answers (it
/// reads and drops what comes, so the sender is never held up by a full buffer); a dropper accepts
/// and closes the connection without a reply.
final class RawListener: Sendable {
    enum Mode: Sendable { case tarpit, dropper }

    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }
    var url: String { "http://127.0.0.1:\(port)" }

    init(_ mode: Mode) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                switch mode {
                case .tarpit: return channel.eventLoop.makeSucceededVoidFuture()
                case .dropper: return channel.close()
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func close() async {
        try? await channel.close()
    }
}
