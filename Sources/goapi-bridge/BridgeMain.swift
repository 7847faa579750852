import ArgumentParser
import NIOCore
import NIOPosix

/// The process entry point: prepares the concurrency runtime, then runs ``GoAPIBridgeCommand``.
@main
enum BridgeMain {
    static func main() async {
        // Every part of the bridge does its I/O on NIO's event loops (IRC, the GoAPI client, the HTTP servers), while
        // its logic runs in Swift tasks. Running those tasks on the same event loops, instead of Swift's separate
        // global pool, saves a pair of thread switches on each hop between the two; with a handful of hops per
        // question on a 2-core machine that is most of the bridge's own latency. It has to happen before any task
        // is started on the global pool, which is why it is the first thing the process does.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await GoAPIBridgeCommand.main(nil)
    }
}
