import BridgeTesting
import Synchronization

/// The bridges one test started, so they are stopped however the test ends.
final class LaunchedBridges: Sendable {
    private struct State {
        var bridges: [BridgeProcess] = []
        /// Log files of the bridges a test killed on purpose: their `signal 9` is the point, not a failure.
        var killed: Set<String> = []
    }

    private let state = Mutex(State())

    /// Every bridge started so far, in order.
    var all: [BridgeProcess] {
        self.state.withLock { $0.bridges }
    }

    /// Starts a bridge with `launch`, which gets the bridge's 1-based number; remembers it.
    func launch(_ launch: (Int) throws -> BridgeProcess) throws -> BridgeProcess {
        try self.state.withLock { state in
            let bridge = try launch(state.bridges.count + 1)
            state.bridges.append(bridge)
            return bridge
        }
    }

    /// SIGKILLs `bridge` and remembers that its end was intended; returns how it ended.
    @discardableResult
    func kill(_ bridge: BridgeProcess) async -> ChildProcess.Termination? {
        self.state.withLock { _ = $0.killed.insert(bridge.logFile) }
        return await bridge.kill()
    }

    /// Whether a test killed `bridge` on purpose with ``kill(_:)``.
    func wasKilled(_ bridge: BridgeProcess) -> Bool {
        self.state.withLock { $0.killed.contains(bridge.logFile) }
    }

    /// SIGTERMs every bridge still running (one that ended earlier keeps its status) and returns how each ended.
    @discardableResult
    func stopAll() async -> [(BridgeProcess, ChildProcess.Termination?)] {
        var results: [(BridgeProcess, ChildProcess.Termination?)] = []
        for bridge in self.all {
            results.append((bridge, await bridge.stop()))
        }
        return results
    }
}

/// A failed end-to-end test's error with what each bridge logged last, which usually says why.
struct EndToEndFailure: Error, CustomStringConvertible {
    let underlying: any Error
    let logs: [(file: String, tail: String)]

    init(underlying: any Error, bridges: [BridgeProcess]) {
        self.underlying = underlying
        self.logs = bridges.map { ($0.logFile, $0.logTail(lines: 40)) }
    }

    var description: String {
        ([String(describing: self.underlying)]
            + self.logs.map { "--- \($0.file) (last lines) ---\n\($0.tail)" })
            .joined(separator: "\n")
    }
}
