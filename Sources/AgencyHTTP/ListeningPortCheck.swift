import NIOCore
import NIOPosix

/// Whether a server could listen on an address, found out before the service starts: once it has
/// started, the workers are running and Hummingbird has logged a listener, so a port in use would
/// show as a cancelled worker's errors rather than as the one line that names the port.
public enum ListeningPortCheck {
    public enum Outcome: Sendable, Equatable {
        case free
        case inUse
        case notAllowed
    }

    /// Binds and closes a listening socket, with the address reuse Hummingbird's own listener uses,
    /// so that a port left in TIME_WAIT counts as free, as it does for the server. A failure other
    /// than a port in use or a port refused is left for the server itself to report.
    public static func check(_ address: ServerAddress) async -> Outcome {
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .bind(host: address.host, port: address.port)
                .get()
            try? await channel.close()
            return .free
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            return .inUse
        } catch let error as IOError where error.errnoCode == EACCES {
            return .notAllowed
        } catch {
            return .free
        }
    }
}
