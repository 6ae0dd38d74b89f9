import Foundation

extension Process {
    /// Starts the process while no other test starts one. The tests run in parallel, and Foundation's
    /// `Process.run()` on Linux once crashed in a `memcpy` while several tests spawned `agency` at the
    /// same moment; one spawn at a time costs milliseconds.
    public func runAlone() throws {
        try ProcessSpawning.lock.withLock { try run() }
    }
}

private enum ProcessSpawning {
    static let lock = NSLock()
}
