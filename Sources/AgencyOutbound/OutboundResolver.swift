import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a host name into addresses. The egress guard asks it once per connection and connects to
/// an address it checked; tests pass a name table instead of the machine's DNS.
public protocol OutboundResolver: Sendable {
    func resolve(host: String) async throws -> [IPAddress]
}

/// getaddrinfo(3), on a thread pool of its own so that a slow DNS server never holds an event loop,
/// nor the shared pool where bcrypt runs: names a tenant typed, resolving slowly, would otherwise
/// make every tenant's sign-in wait.
public struct SystemResolver: OutboundResolver {
    public init() {}

    static let lookups: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    public func resolve(host: String) async throws -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        return try await Self.lookups.runIfActive {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            #else
            hints.ai_socktype = SOCK_STREAM
            #endif
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else {
                throw OutboundRefused.unresolved(host)
            }
            defer { freeaddrinfo(first) }
            var addresses: [IPAddress] = []
            var entry: UnsafeMutablePointer<addrinfo>? = first
            while let current = entry {
                if let sockaddr = current.pointee.ai_addr {
                    switch Int32(current.pointee.ai_family) {
                    case AF_INET:
                        var address = sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                        if let ip = IPAddress(bytes: withUnsafeBytes(of: &address) { Array($0) }) { addresses.append(ip) }
                    case AF_INET6:
                        var address = sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                        if let ip = IPAddress(bytes: withUnsafeBytes(of: &address) { Array($0) }) { addresses.append(ip) }
                    default: break
                    }
                }
                entry = current.pointee.ai_next
            }
            guard !addresses.isEmpty else { throw OutboundRefused.unresolved(host) }
            return addresses
        }
    }
}

/// A fixed table of names, for tests: every other name does not resolve. Literals resolve to themselves.
public struct NameTableResolver: OutboundResolver {
    public let table: [String: [IPAddress]]

    public init(_ table: [String: [String]]) {
        self.table = table.mapValues { $0.compactMap(IPAddress.init) }
    }

    public func resolve(host: String) async throws -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        guard let addresses = table[host.lowercased()], !addresses.isEmpty else {
            throw OutboundRefused.unresolved(host)
        }
        return addresses
    }
}

extension OutboundPolicy {
    /// Resolves `host` and checks every address it has; answers them when all may be called.
    /// One refused address refuses the host: a name cannot smuggle a private address in beside a public one.
    public func check(host: String, resolver: any OutboundResolver) async throws -> [IPAddress] {
        let addresses = try await resolver.resolve(host: host)
        for address in addresses {
            if let reason = refusal(for: address) { throw OutboundRefused(host: host, address: address, reason: reason) }
        }
        return addresses
    }
}
