import ArgumentParser
import Testing
@testable import AgencyCLI

/// Issue 27: the sign-in limits are settings of `agency serve`, shown in its help with their defaults
/// and checked before the service starts.
@Suite("agency serve: sign-in limits")
struct SignInSettingsTests {
    @Test func helpShowsTheLimitsWithTheirDefaults() {
        let help = Serve.helpMessage(columns: 400)
        for option in ["--sign-in-free-failures <sign-in-free-failures>", "--sign-in-free-failures-per-address", "--sign-in-first-delay", "--sign-in-max-delay",
                       "--sign-in-tracked", "--sign-in-concurrency-per-address", "--hash-workers", "--hash-queue"] {
            #expect(help.contains(option), "\(option)")
        }
        #expect(help.contains("(default: 10)") && help.contains("(default: 50)") && help.contains("(default: 300)"))
        #expect(help.contains("(default: 8)") && help.contains("(default: 100000)") && help.contains("(default: 4)"))
    }

    @Test func theLimitsReachTheServiceSettings() throws {
        let serve = try Serve.parse(["--sign-in-free-failures", "3", "--hash-workers", "2", "--hash-queue", "0"])
        #expect(serve.signInFreeFailures == 3 && serve.hashWorkers == 2 && serve.hashQueue == 0)
        #expect(serve.signInFreeFailuresPerAddress == 50 && serve.signInMaxDelay == 300)
    }

    @Test(arguments: [["--sign-in-free-failures", "0"], ["--sign-in-max-delay", "0"], ["--sign-in-first-delay", "400"], ["--hash-workers", "0"], ["--hash-queue", "-1"], ["--sign-in-tracked", "0"], ["--sign-in-concurrency-per-address", "0"]])
    func outOfRangeLimitsAreRefused(_ arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try Serve.parse(arguments) }
    }
}
