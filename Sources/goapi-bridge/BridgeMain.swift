import ArgumentParser
import EventLoopExecutor

/// The process entry point: prepares the concurrency runtime, then runs ``GoAPIBridgeCommand``.
@main
enum BridgeMain {
    static func main() async {
        // Tasks run on NIO's event loops, next to the I/O they wait for (see EventLoopExecutor for why). It has to
        // happen before any task is started on the global pool, which is why it is the first thing the process does;
        // the "goapi-bridge started" log line says whether it took effect.
        EventLoopExecutor.install()
        await GoAPIBridgeCommand.main(nil)
    }
}
