import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request is not read in full within a deadline from its head. Hummingbird's
/// idle timeout only covers connections with no request in flight; this covers a body that trickles in.
///
/// The timer is armed only when a socket read ends with a request still incomplete. Most requests arrive
/// whole in one read and never schedule one: a timer per request was a measurable part of a small read
/// request's CPU (docs/benchmarks.md, run Q).
final class RequestReadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var requestIncomplete = false

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            requestIncomplete = true
        case .body:
            break
        case .end:
            requestIncomplete = false
            cancelDeadline()
        }
        context.fireChannelRead(data)
    }

    /// The deadline runs from the first read that left a request incomplete, and is not moved by later
    /// reads of the same request: a body that trickles in a byte at a time is still cut off.
    func channelReadComplete(context: ChannelHandlerContext) {
        if requestIncomplete && deadline == nil {
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
                context.close(promise: nil)
            }
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}
