// Release-mode benchmarks for snapshots and provisioning (issue 5). Run with `make bench`; the figures
// go to stdout as Markdown, ready for docs/benchmarks.md. Not a test: CI does not run it.
import Foundation
import NIOCore
import NIOPosix

let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "--serve-bare" {
    // As `agency serve` does (Sources/agency/main.swift), before any task starts.
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    try await BareServer.run(port: Int(arguments.dropFirst().first ?? "") ?? 18_572, pageFiles: Array(arguments.dropFirst(2)))
    exit(0)
}
let options = BenchOptions(
    runs: Int(value(after: "--runs") ?? "") ?? 5,
    accounts: Int(value(after: "--accounts") ?? "") ?? 1_000,
    snapshots: Int(value(after: "--snapshots") ?? "") ?? 100,
    wrkSeconds: Int(value(after: "--wrk-seconds") ?? "") ?? 10,
    floodTasks: Int(value(after: "--flood-tasks") ?? "") ?? 32,
    signIns: Int(value(after: "--sign-ins") ?? "") ?? 20,
    outboundContacts: Int(value(after: "--outbound-contacts") ?? "") ?? 200,
    sections: Set((value(after: "--only") ?? "2,3,4,5,6,7,8,9,10").split(separator: ",").compactMap { Int($0) })
)
// Section 5 drives `agency serve` with wrk and curl: say so before minutes of other sections, not after.
let missing = options.sections.contains(5) ? ["wrk", "curl"].filter { !onPath($0) } : []
guard missing.isEmpty else {
    FileHandle.standardError.write(Data("agency-bench: section 5 needs \(missing.joined(separator: " and ")) (apt-get install -y \(missing.joined(separator: " "))), or leave it out with --only\n".utf8))
    exit(1)
}
do {
    try await Benchmarks(options: options).run()
} catch {
    FileHandle.standardError.write(Data("agency-bench: \(error)\n".utf8))
    exit(1)
}

func onPath(_ program: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
        FileManager.default.isExecutableFile(atPath: "\($0)/\(program)")
    }
}

func value(after flag: String) -> String? {
    guard let index = arguments.firstIndex(of: flag), arguments.index(after: index) < arguments.endIndex else { return nil }
    return arguments[arguments.index(after: index)]
}
