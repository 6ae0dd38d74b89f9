import Glibc
import Logging
import Synchronization

/// The service's log lines, in swift-log's `StreamLogHandler` format
/// (`2026-12-03T17:53:28+0000 info agency: k=v … [source] message`), written for less: one line per
/// request made `StreamLogHandler` a tenth of a small read's CPU (docs/benchmarks.md, run Q). It formats
/// the timestamp once a second instead of per line (`localtime` also stats the time zone file each
/// call), renders the metadata into one buffer, and writes each line with one `write(2)`, so that a
/// line is never held in a buffer when the process dies.
public struct ServiceLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let descriptor: Int32

    public static func standardOutput(label: String) -> ServiceLogHandler {
        ServiceLogHandler(label: label, descriptor: STDOUT_FILENO)
    }

    init(label: String, descriptor: Int32) {
        self.label = label
        self.descriptor = descriptor
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let explicit = event.metadata { all.merge(explicit) { _, new in new } }
        if let error = event.error {
            all["error.message"] = "\(error)"
            all["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var line = LogClock.shared.timestamp()
        line.reserveCapacity(160)
        line += " \(event.level)\(label.isEmpty ? "" : " ")\(label):"
        for key in all.keys.sorted() {
            line += " \(key)=\(all[key]!)"
        }
        line += " [\(event.source)] \(event.message)\n"
        line.withUTF8 { bytes in Self.writeAll(bytes, to: descriptor) }
    }

    private static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written > 0 { offset += written } else if written < 0 && errno == EINTR { continue } else { return }
        }
    }
}

/// Local time to the second, formatted as `StreamLogHandler` does, once per second.
final class LogClock: Sendable {
    static let shared = LogClock()
    private let cached = Mutex<(second: Int, text: String)>((-1, ""))

    func timestamp() -> String {
        var now = time(nil)
        let second = Int(now)
        if let text = cached.withLock({ $0.second == second ? $0.text : nil }) { return text }
        var local = tm()
        localtime_r(&now, &local)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        let text = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        cached.withLock { $0 = (second, text) }
        return text
    }
}
