import AgencyOutbound

extension OutboundClient {
    /// The outbound client tests use: the default policy with 127.0.0.1/32 let through, as an operator
    /// would with `agency serve --allow-outbound 127.0.0.1/32`, since every test remote is on loopback.
    /// Names resolve from a fixed table, never from the machine's DNS. One per process, like the service's.
    public static let loopbackForTests = OutboundClient(
        policy: OutboundPolicy(allowed: [IPNetwork("127.0.0.1/32")!]), resolver: NameTableResolver(["localhost": ["127.0.0.1"]]),
        // Loopback connects at once; a closed port is retried by the client until this passes.
        settings: OutboundSettings(connectTimeout: .milliseconds(500), requestTimeout: .seconds(5))
    )
}
