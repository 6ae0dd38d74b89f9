import Foundation
import Hummingbird

/// `GET /api/3/contacts` on the real service (`agency serve`, as deployed, request log included) against
/// a bare Hummingbird route in this process, each under `wrk` on loopback, alternated.
struct LoadTest {
    let directory: URL
    let databasePath: String
    let seconds: Int
    let servicePort = 18_571
    let barePort = 18_572

    func run(apiToken: String) async throws -> String {
        let agency = Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("agency").path
        let service = Process()
        service.executableURL = URL(fileURLWithPath: agency)
        service.arguments = ["serve", "--database", databasePath, "--port", "\(servicePort)"]
        service.standardOutput = FileHandle.nullDevice
        service.standardError = FileHandle.nullDevice
        try service.run()
        defer { service.terminate() }

        let router = Router()
        router.get("bare") { _, _ in #"{"status":"ok"}"# }
        let bare = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: barePort)))
        let bareTask = Task { try await bare.runService() }
        defer { bareTask.cancel() }
        try await waitUntilServing("http://127.0.0.1:\(servicePort)/health")
        try await waitUntilServing("http://127.0.0.1:\(barePort)/bare")

        let api = "http://127.0.0.1:\(servicePort)/api/3/contacts"
        var bareRates: [Double] = []
        var apiRates: [Double] = []
        for _ in 0..<2 {
            bareRates.append(try wrk("http://127.0.0.1:\(barePort)/bare", headers: []))
            apiRates.append(try wrk(api, headers: ["Api-Token: \(apiToken)"]))
        }
        let (bareRate, apiRate) = (Measure.median(bareRates), Measure.median(apiRates))
        return """
            `wrk -t2 -c32 -d\(seconds)s` on loopback, two rounds alternated, median of each.

            | route | requests/s | ratio | target |
            |---|---:|---:|---:|
            | bare Hummingbird route (`{"status":"ok"}`) | \(String(format: "%.0f", bareRate)) | 1.00× | |
            | `GET /api/3/contacts` (token lookup, 20 contacts and the total, v3 JSON) | \(String(format: "%.0f", apiRate)) | \(Measure.ratio(apiRate / bareRate)) | ≥ 0.50× |

            rounds (requests/s): bare \(bareRates.map { String(format: "%.0f", $0) }.joined(separator: ", ")); api \(apiRates.map { String(format: "%.0f", $0) }.joined(separator: ", "))

            """
    }

    /// Requests per second that wrk reports.
    func wrk(_ url: String, headers: [String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["wrk", "-t2", "-c32", "-d\(seconds)s"] + headers.flatMap { ["-H", $0] } + [url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
              let rate = Double(line.split(separator: " ").last ?? "")
        else { throw BenchError("wrk gave no rate (is wrk installed? apt-get install wrk):\n\(output)") }
        if output.contains("Non-2xx") { throw BenchError("\(url) answered errors under load:\n\(output)") }
        return rate
    }

    func waitUntilServing(_ url: String) async throws {
        for _ in 0..<100 {
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            curl.arguments = ["curl", "-sf", "-o", "/dev/null", url]
            try curl.run()
            curl.waitUntilExit()
            if curl.terminationStatus == 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError("\(url) did not come up")
    }
}

/// The machine, for the report.
enum Machine {
    static var description: String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        let memory = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8))?
            .split(separator: "\n").first?.split(separator: " ").dropFirst().first.flatMap { Double($0) }.map { String(format: "%.0f GiB RAM", $0 / 1_048_576) } ?? ""
        return "\(ProcessInfo.processInfo.activeProcessorCount) × \(cpu), \(memory), Linux; SQLite \(sqliteVersion)"
    }

    static var sqliteVersion: String {
        (try? DatabaseQueueVersion.read()) ?? "?"
    }
}
