import Foundation
import NIOCore

/// The client a sign-in comes from, as the sign-in throttle counts it: the socket's peer (no
/// `X-Forwarded-For`, which any client can write). An IPv6 client counts by its /64, the block one
/// host is usually given, so that it cannot pick a fresh address for every guess.
struct ClientAddress: Hashable, Sendable {
    let key: String

    init(key: String) {
        self.key = key
    }

    init(_ address: SocketAddress?) {
        switch address {
        case .v4?:
            key = address?.ipAddress ?? "v4"
        case .v6(let v6)?:
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if bytes.prefix(10).allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
                key = bytes.suffix(4).map(String.init).joined(separator: ".")
            } else {
                key = stride(from: 0, to: 8, by: 2).map { String(format: "%02x%02x", bytes[$0], bytes[$0 + 1]) }.joined(separator: ":") + "::/64"
            }
        case .unixDomainSocket?:
            key = "unix"
        case nil:
            // A request with no socket (the router tests) counts as one client.
            key = "unknown"
        }
    }
}
