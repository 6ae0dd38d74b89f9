import Foundation

/// Deadlines and bounds of every call the service makes on its users' behalf (`agency serve`
/// options). Each is enforced by the client, never by a loop that watches the clock.
public struct OutboundSettings: Sendable, Equatable {
    /// Reaching the remote: DNS, TCP and the guard's checks.
    public var connectTimeout: Duration
    /// The whole request, from asking for a connection to the last byte of the answer.
    public var requestTimeout: Duration
    /// Requests in flight to one host at once; more wait their turn, so one host cannot take them all.
    public var perHostLimit: Int
    /// Requests in flight in all.
    public var totalLimit: Int
    /// The most of an answer's body that is read; the rest is dropped (answers are only classified).
    public var maxBodyBytes: Int

    public init(connectTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(15), perHostLimit: Int = 4, totalLimit: Int = 64, maxBodyBytes: Int = 64 * 1024) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.perHostLimit = perHostLimit
        self.totalLimit = totalLimit
        self.maxBodyBytes = maxBodyBytes
    }
}
