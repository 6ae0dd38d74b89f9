/// Which addresses the service may call on its users' behalf (webhooks, sync connections). By
/// default every address that reaches the host or its private network is refused: loopback, private
/// (RFC 1918), carrier-grade NAT, unique-local, link-local (cloud metadata at 169.254.169.254),
/// multicast, unspecified and broadcast, and the IPv6 forms that carry such an IPv4 address. An
/// operator lets a block through with `agency serve --allow-outbound CIDR`.
public struct OutboundPolicy: Sendable, Equatable {
    /// One refused block and the reason a person reads.
    public struct Rule: Sendable, Equatable {
        public let network: IPNetwork
        public let reason: String
    }

    public static let refusedBlocks: [Rule] = [
        ("0.0.0.0/8", "an unspecified address (0.0.0.0/8)"),
        ("127.0.0.0/8", "a loopback address"),
        ("10.0.0.0/8", "a private address (RFC 1918)"),
        ("172.16.0.0/12", "a private address (RFC 1918)"),
        ("192.168.0.0/16", "a private address (RFC 1918)"),
        ("100.64.0.0/10", "a carrier-grade NAT address (100.64.0.0/10)"),
        ("169.254.0.0/16", "a link-local address (169.254.0.0/16, where cloud metadata lives)"),
        ("224.0.0.0/4", "a multicast address"),
        ("255.255.255.255/32", "the broadcast address"),
        ("240.0.0.0/4", "a reserved address (240.0.0.0/4)"),
        ("::/128", "the unspecified address (::)"),
        ("::1/128", "a loopback address"),
        ("fc00::/7", "a unique-local address (fc00::/7)"),
        ("fe80::/10", "a link-local address (fe80::/10)"),
        ("ff00::/8", "a multicast address"),
    ].map { Rule(network: IPNetwork($0.0)!, reason: $0.1) }

    /// Blocks let through although a rule above refuses them.
    public var allowed: [IPNetwork]

    public init(allowed: [IPNetwork] = []) {
        self.allowed = allowed
    }

    /// Why `address` is refused, or nil when it may be called. An IPv6 form of an IPv4 address is
    /// judged as that IPv4 address.
    public func refusal(for address: IPAddress) -> String? {
        if allowed.contains(where: { $0.contains(address) }) { return nil }
        if let inner = address.embeddedIPv4 { return refusal(for: inner) }
        return Self.refusedBlocks.first { $0.network.contains(address) }?.reason
    }
}

/// A call refused by the policy, or a host that does not resolve. Its message names the host, the
/// address and the rule, and says how an operator allows it.
public struct OutboundRefused: Error, Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let message: String
    /// The host had no address: not a refusal by a rule, and perhaps not so later.
    public let unresolved: Bool

    public init(host: String, address: IPAddress, reason: String) {
        self.host = host
        let resolved = IPAddress(host) == nil ? "'\(host)' resolves to \(address), " : "\(address) is "
        message = "\(resolved)\(reason); the service does not call it. An operator can allow it with agency serve --allow-outbound CIDR."
        unresolved = false
    }

    public init(host: String, message: String, unresolved: Bool = false) {
        self.host = host
        self.message = message
        self.unresolved = unresolved
    }

    /// A host with no address.
    public static func unresolved(_ host: String) -> OutboundRefused {
        OutboundRefused(host: host, message: "'\(host)' does not resolve to an address.", unresolved: true)
    }

    public var description: String { message }
}
