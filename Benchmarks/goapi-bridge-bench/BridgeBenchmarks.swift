import BridgeTesting
import Dispatch
import Foundation

/// `goapi-bridge-bench bridge [options]`: the end-to-end figures, measured on the real release binary
/// (`goapi-bridge run`) against a throwaway InspIRCd over TLS and the stub GoAPI, all on this machine.
///
/// One bridge with 3 networks × 50 channels (every network on the same InspIRCd, each with its own nick) is
/// started; then, in order:
///
/// 1. its idle RSS once `/readyz` says every network is registered and every channel joined (``MemoryBenchmark``);
/// 2. the PRIVMSG → reply latency next to the plain client-to-client round trip (``IRCRoundTripBenchmark``);
/// 3. the peak RSS while 500 questions stream at once from a slow stub, then the settled RSS after 10,000 questions.
///
/// Prints one figure per line in the format of the single-thread benchmarks (`name | value | target | verdict |
/// details`); `scripts/bench-irc.sh` turns them into a section of `docs/PERFORMANCE.md`. Exit status 0 when every
/// figure meets its target, 2 when one misses, 1 when something went wrong (a wrong answer included).
enum BridgeBenchmarks {
    /// The command line after `bridge`.
    struct Options: Sendable {
        /// The `goapi-bridge` binary; by default the one next to this executable.
        var binary: String
        /// Timed latency samples of each kind.
        var samples = 500
        /// Questions at once in the memory benchmark.
        var concurrent = 500
        /// Questions in all in the memory benchmark.
        var total = 10_000
        /// The slow stub's pause between events.
        var slowEventDelay = Duration.milliseconds(500)
        /// `latency`, `memory`, or `nil` for both.
        var only: String?
        /// Seconds the waves after the first may take before no new one starts (`nil`: all ``total`` questions).
        var budgetSeconds: Int?
        /// Where the bridge's directory (configuration, SQLite database, log) is made; the temp directory by default.
        var storageDirectory: String?
        /// Keep the bridge's temp directory (configuration, log, database).
        var keepDirectory = false

        static let usage =
            "usage: goapi-bridge-bench bridge [--binary PATH] [--samples N] [--concurrent N] [--questions N] "
            + "[--slow-event-delay-ms N] [--time-budget-s N] [--storage-dir DIR] [--only latency|memory] [--keep]"

        init(_ arguments: ArraySlice<String>) throws {
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            self.binary = executable.deletingLastPathComponent().appendingPathComponent("goapi-bridge").path
            var arguments = arguments
            while let argument = arguments.popFirst() {
                if argument == "--keep" {
                    self.keepDirectory = true
                    continue
                }
                guard let value = arguments.popFirst() else {
                    throw BenchmarkFailure(Self.usage)
                }
                let number = Int(value).flatMap { $0 > 0 ? $0 : nil }
                switch (argument, number) {
                case ("--binary", _): self.binary = value
                case ("--storage-dir", _): self.storageDirectory = value
                case ("--time-budget-s", let number?): self.budgetSeconds = number
                case ("--samples", let number?): self.samples = number
                case ("--concurrent", let number?): self.concurrent = number
                case ("--questions", let number?): self.total = number
                case ("--slow-event-delay-ms", let number?): self.slowEventDelay = .milliseconds(number)
                case ("--only", _) where value == "latency" || value == "memory": self.only = value
                default: throw BenchmarkFailure(Self.usage)
                }
            }
        }
    }

    /// Runs the end-to-end benchmarks and exits when the command line starts with `bridge`; returns otherwise.
    ///
    /// Synchronous so that it can be called first thing from `main` whether that is synchronous or not: the work runs
    /// in a task while the calling thread waits, and the task ends the process.
    static func runIfRequested() {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.first == "bridge" else {
            return
        }
        let options: Options
        do {
            options = try Options(arguments.dropFirst())
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(1)
        }
        Task.detached {
            do {
                let passed = try await Self.run(options)
                exit(passed ? 0 : 2)
            } catch {
                FileHandle.standardError.write(Data("goapi-bridge-bench bridge failed: \(error)\n".utf8))
                exit(1)
            }
        }
        DispatchSemaphore(value: 0).wait()
    }

    /// Prints every figure as it is measured; returns whether all met their targets.
    private static func run(_ options: Options) async throws -> Bool {
        print(
            "goapi-bridge-bench bridge: the release goapi-bridge binary against a local InspIRCd (TLS) and the stub GoAPI"
        )
        let layout = BridgeUnderTest.Layout(networks: 3, channelsPerNetwork: 50)
        return try await InspIRCdServer.withRunning { server in
            try await StubGoAPIServer.withRunning { goapi in
                let bridge = try await BridgeUnderTest.start(
                    binary: options.binary,
                    layout: layout,
                    server: server,
                    goapi: goapi,
                    parentDirectory: options.storageDirectory
                )
                do {
                    let passed = try await Self.measure(
                        options,
                        layout: layout,
                        bridge: bridge,
                        server: server,
                        goapi: goapi
                    )
                    await bridge.stop(keepDirectory: options.keepDirectory)
                    return passed
                } catch {
                    let tail = bridge.logTail()
                    await bridge.stop(keepDirectory: true)
                    throw BenchmarkFailure("\(error)\n--- goapi-bridge log (\(bridge.directory)) ---\n\(tail)")
                }
            }
        }
    }

    private static func measure(
        _ options: Options,
        layout: BridgeUnderTest.Layout,
        bridge: BridgeUnderTest,
        server: InspIRCdServer,
        goapi: StubGoAPIServer
    ) async throws -> Bool {
        var passed = true
        let report = { (figure: Figure) in
            print(figure.line)
            passed = passed && figure.passed
        }
        let clock = ContinuousClock()
        let start = clock.now
        try await bridge.waitUntilReady()
        Self.progress(
            "ready after \(clock.now - start): \(layout.networks) networks × \(layout.channelsPerNetwork) channels"
        )
        let settle = Duration.seconds(5)
        var idle: Double?
        if options.only != "latency" {
            let (figure, mebibytes) = try await MemoryBenchmark.idle(bridge, layout: layout, settle: settle)
            report(figure)
            idle = mebibytes
        }
        if options.only != "memory" {
            Self.progress("latency: \(options.samples) samples of each kind")
            for figure in try await IRCRoundTripBenchmark.run(server: server, goapi: goapi, samples: options.samples) {
                report(figure)
            }
        }
        if let idle {
            Self.progress("memory: \(options.concurrent) questions at once, \(options.total) in all")
            let load = MemoryBenchmark.Load(
                concurrent: options.concurrent,
                total: options.total,
                slowEventDelay: options.slowEventDelay,
                settle: settle,
                budget: options.budgetSeconds.map { .seconds($0) }
            )
            let figures = try await MemoryBenchmark.load(
                bridge,
                layout: layout,
                server: server,
                goapi: goapi,
                load: load,
                idle: idle
            )
            figures.forEach(report)
        }
        return passed
    }

    private static func progress(_ message: String) {
        FileHandle.standardError.write(Data("goapi-bridge-bench bridge: \(message)\n".utf8))
    }
}
