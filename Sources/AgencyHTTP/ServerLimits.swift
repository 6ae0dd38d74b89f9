import NIOCore

/// How much of the server one client can hold: without these, a client that announces a body and
/// sends it a byte at a time keeps its connection (and a task) for as long as it likes.
public struct ServerLimits: Sendable {
    /// A request's head and body must arrive within this time of its head (`RequestReadDeadline`).
    public var requestReadTimeout: TimeAmount
    /// A connection with no request in flight is closed after this long, including one that has
    /// sent nothing or only part of a request head.
    public var idleTimeout: TimeAmount
    /// New connections wait in the kernel's backlog while this many are open.
    public var maxConnections: Int

    public init(requestReadTimeout: TimeAmount = .seconds(30), idleTimeout: TimeAmount = .seconds(60), maxConnections: Int = 1024) {
        self.requestReadTimeout = requestReadTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }
}
