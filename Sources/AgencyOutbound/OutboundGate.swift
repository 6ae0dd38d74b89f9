/// Bounds the requests in flight, per host and in all. A caller over a bound waits in line (FIFO)
/// without spinning; leaving lets the next waiter of that host in. The "host" is any key: custom
/// domains' DNS lookups are keyed by agency (`DomainVerifier`).
public actor OutboundGate {
    let perHost: Int
    let total: Int
    private var inFlight: [String: Int] = [:]
    private var running = 0
    private var waiting: [(host: String, continuation: CheckedContinuation<Void, Never>)] = []

    public init(perHost: Int, total: Int) {
        self.perHost = max(1, perHost)
        self.total = max(1, total)
    }

    public func enter(_ host: String) async {
        // Only waiters for the same host go first: a line for a slow host never holds up another host.
        if canRun(host), !waiting.contains(where: { $0.host == host }) {
            take(host)
            return
        }
        await withCheckedContinuation { waiting.append((host, $0)) }
    }

    public func leave(_ host: String) {
        inFlight[host, default: 1] -= 1
        if inFlight[host] == 0 { inFlight[host] = nil }
        running -= 1
        // The first waiters that can run now, in order; a waiter for a busy host does not block others.
        var index = 0
        while index < waiting.count, running < total {
            if canRun(waiting[index].host) {
                let next = waiting.remove(at: index)
                take(next.host)
                next.continuation.resume()
            } else {
                index += 1
            }
        }
    }

    private func canRun(_ host: String) -> Bool { running < total && inFlight[host, default: 0] < perHost }

    private func take(_ host: String) {
        inFlight[host, default: 0] += 1
        running += 1
    }
}
