import AgencyCLI
import NIOCore
import NIOPosix

// The service runs Swift Concurrency's tasks on NIO's event loops, so that a request is not handed
// back and forth between two thread pools (docs/benchmarks.md). It must be set before any task starts.
if CommandLine.arguments.dropFirst().first == "serve" {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}
await AgencyCommand.runAsMain()
