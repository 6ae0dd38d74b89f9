import Foundation

/// `GET /api/3/contacts` and `GET /api/3/templates` on the real service (`agency serve`, as deployed,
/// request log included) against bare Hummingbird routes served by another process with the same
/// executor setup, each under `wrk` on loopback, alternated.
struct LoadTest {
    let directory: URL
    let databasePath: String
    let seconds: Int
    let servicePort = 18_571
    let barePort = 18_572

    func run(apiToken: String, clientToken: String) async throws -> String {
        let binaries = Bundle.main.executableURL!.deletingLastPathComponent()
        let service = try launch(binaries.appendingPathComponent("agency"), ["serve", "--database", databasePath, "--port", "\(servicePort)"])
        defer { service.terminate() }
        let api = "http://127.0.0.1:\(servicePort)/api/3/contacts"
        try await waitUntilServing("http://127.0.0.1:\(servicePort)/health")

        // The bare server answers the contacts page's own bytes on /bare-page.
        let page = directory.appendingPathComponent("contacts-page.json")
        try run("/usr/bin/env", ["curl", "-sf", "-o", page.path, "-H", "Api-Token: \(apiToken)", api])
        let templates = "http://127.0.0.1:\(servicePort)/api/3/templates"
        let templatesPage = directory.appendingPathComponent("templates-page.json")
        try run("/usr/bin/env", ["curl", "-sf", "-o", templatesPage.path, "-H", "Api-Token: \(clientToken)", templates])
        let bare = try launch(Bundle.main.executableURL!, ["--serve-bare", "\(barePort)", page.path, templatesPage.path])
        defer { bare.terminate() }
        try await waitUntilServing("http://127.0.0.1:\(barePort)/bare")
        let pageBytes = (try FileManager.default.attributesOfItem(atPath: page.path)[.size] as? Int) ?? 0

        let templatesBytes = (try FileManager.default.attributesOfItem(atPath: templatesPage.path)[.size] as? Int) ?? 0
        var bareRates: [Double] = []
        var pageRates: [Double] = []
        var apiRates: [Double] = []
        var templateRates: [Double] = []
        var sharedRates: [Double] = []
        var templatesPageRates: [Double] = []
        for _ in 0..<2 {
            templatesPageRates.append(try wrk("http://127.0.0.1:\(barePort)/bare-page/1", headers: []))
            bareRates.append(try wrk("http://127.0.0.1:\(barePort)/bare", headers: []))
            pageRates.append(try wrk("http://127.0.0.1:\(barePort)/bare-page", headers: []))
            apiRates.append(try wrk(api, headers: ["Api-Token: \(apiToken)"]))
            templateRates.append(try wrk(templates, headers: ["Api-Token: \(apiToken)"]))
            sharedRates.append(try wrk(templates, headers: ["Api-Token: \(clientToken)"]))
        }
        let (bareRate, pageRate, apiRate) = (Measure.median(bareRates), Measure.median(pageRates), Measure.median(apiRates))
        let (templateRate, sharedRate) = (Measure.median(templateRates), Measure.median(sharedRates))
        let templatesPageRate = Measure.median(templatesPageRates)
        func rate(_ value: Double) -> String { String(format: "%.0f", value) }
        func rates(_ values: [Double]) -> String { values.map(rate).joined(separator: ", ") }
        return """
            `wrk -t2 -c32 -d\(seconds)s` on loopback, two rounds alternated, median of each. Both servers run
            Swift Concurrency's tasks on NIO's event loops (see `Sources/agency/main.swift`).

            | route | requests/s | ratio to bare | target |
            |---|---:|---:|---:|
            | bare Hummingbird route (`{"status":"ok"}`) | \(rate(bareRate)) | 1.00× | |
            | bare Hummingbird route answering the contacts page's \(pageBytes) bytes from memory | \(rate(pageRate)) | \(Measure.ratio(pageRate / bareRate)) | |
            | `GET /api/3/contacts` (token, 20 contacts and the total from SQLite, v3 JSON, request log) | \(rate(apiRate)) | \(Measure.ratio(apiRate / bareRate)) | ≥ 0.50× |
            | bare Hummingbird route answering the templates page's \(templatesBytes) bytes from memory | \(rate(templatesPageRate)) | \(Measure.ratio(templatesPageRate / bareRate)) | |
            | `GET /api/3/templates`, the sandbox (20 templates of its own, ~20 KB each) | \(rate(templateRate)) | \(Measure.ratio(templateRate / bareRate)); \(Measure.ratio(templateRate / templatesPageRate)) of the same bytes bare | ≥ 0.50× |
            | `GET /api/3/templates`, a provisioned account (the same 20, bodies shared with the snapshot) | \(rate(sharedRate)) | \(Measure.ratio(sharedRate / bareRate)); \(Measure.ratio(sharedRate / templatesPageRate)) of the same bytes bare | ≥ 0.50× |

            rounds (requests/s): bare \(rates(bareRates)); bare page \(rates(pageRates)); contacts \(rates(apiRates)); templates \(rates(templateRates)); shared templates \(rates(sharedRates)); bare templates page \(rates(templatesPageRates))

            """
    }

    func launch(_ executable: URL, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("\(arguments.joined(separator: " ")) failed") }
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
