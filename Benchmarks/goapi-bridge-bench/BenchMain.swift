import EventLoopExecutor
import Foundation
import NIOCore
import NIOPosix

/// Runs the benchmarks on one thread and prints one line per figure (`name | value | target | verdict | details`),
/// each figure the median of `--repetitions` timed runs (default 9) after an untimed warm-up, timed by the thread's CPU
/// clock so time the scheduler gives other processes on a shared machine does not count (see ``Samples``).
///
/// Every run's result is checked; a wrong result stops the program with exit status 1 so a broken optimisation
/// cannot report a good number. A missed target exits with status 2 after all figures are printed. `--only sse`,
/// `--only irc` or `--only reply` runs one group, for profiling. Build with `swift build -c release`.
///
/// `goapi-bridge-bench serve-webhook-peers` instead runs the servers the webhook throughput benchmark
/// (`scripts/bench-webhooks.sh`) puts around the real binary: see ``WebhookPeers``.
@main
enum BenchMain {
    static func main() async {
        // The same runtime set-up as the bridge (see its BridgeMain): tasks run on NIO's event loops, so the stub
        // GoAPI, the chat clients and the webhook peers do not add thread switches of their own to what is measured.
        EventLoopExecutor.install()
        BridgeBenchmarks.runIfRequested()  // `goapi-bridge-bench bridge …`: the end-to-end figures; exits when run
        if CommandLine.arguments.dropFirst().first == "serve-webhook-peers" {
            do {
                try await WebhookPeers.serve()
                exit(0)
            } catch {
                FileHandle.standardError.write(Data("goapi-bridge-bench serve-webhook-peers failed: \(error)\n".utf8))
                exit(1)
            }
        }
        do {
            let options = try Options(CommandLine.arguments.dropFirst())
            print(
                "goapi-bridge-bench: one thread; each figure is the median of \(options.repetitions) timed runs "
                    + "(thread CPU time; wall-clock median in the details)"
            )
            var allPassed = true
            for group in Options.groups where options.only == nil || options.only == group {
                try Self.run(group, repetitions: options.repetitions) { figure in
                    print(figure.line)
                    allPassed = allPassed && figure.passed
                }
            }
            exit(allPassed ? 0 : 2)
        } catch {
            FileHandle.standardError.write(Data("goapi-bridge-bench failed: \(error)\n".utf8))
            exit(1)
        }
    }

    private static func run(_ group: String, repetitions: Int, report: (Figure) -> Void) throws {
        switch group {
        case "sse":
            report(try SSEBenchmark.memory(limitMiB: 1))
            let cases: [(name: String, characters: Int, snapshots: Int, turns: Int, target: Figure.Target?)] = [
                ("short replies (300 chars, 10 snapshots)", 300, 10, 1_000, nil),
                ("long replies (4000 chars, 120 snapshots)", 4_000, 120, 60, .atLeast(100)),
                ("very long replies (20000 chars, 200 snapshots)", 20_000, 200, 20, .atLeast(100)),
            ]
            for entry in cases {
                report(
                    try SSEBenchmark.throughput(
                        entry.name,
                        replyCharacters: entry.characters,
                        snapshots: entry.snapshots,
                        turnsPerRun: entry.turns,
                        repetitions: repetitions,
                        target: entry.target
                    )
                )
            }
        case "irc":
            let cases: [(tagged: Bool, lines: Int, passes: Int, target: Figure.Target?)] = [
                (true, 1_000, 200, .atLeast(1_000_000)),
                (false, 1_000, 200, .atLeast(1_000_000)),
                (true, 10_000, 20, nil),
            ]
            for entry in cases {
                report(
                    try IRCParsingBenchmark.throughput(
                        tagged: entry.tagged,
                        lines: entry.lines,
                        passes: entry.passes,
                        repetitions: repetitions,
                        target: entry.target
                    )
                )
            }
        case "reply":
            let corpus = MarkdownCorpus.generate(minimumBytes: 1 << 20)
            report(try ReplyBenchmark.split(corpus, repetitions: repetitions, target: .atMost(20)))
            report(try ReplyBenchmark.flatten(corpus, repetitions: repetitions, target: .atMost(20)))
            report(try ReplyBenchmark.flattenHostileLine(repetitions: repetitions, target: .atMost(100)))
        default:
            preconditionFailure("Invalid state: unknown benchmark group \(group)")
        }
    }

    /// The command line: `[--repetitions N] [--only sse|irc|reply]` (or `serve-webhook-peers`, handled first).
    private struct Options {
        static let groups = ["sse", "irc", "reply"]

        var repetitions = 9
        var only: String?

        init(_ arguments: ArraySlice<String>) throws {
            var arguments = arguments
            while let argument = arguments.popFirst() {
                switch (argument, arguments.popFirst()) {
                case ("--repetitions", let value?):
                    guard let count = Int(value), count > 0 else {
                        throw BenchmarkFailure("--repetitions needs a positive number, not \(value)")
                    }
                    self.repetitions = count
                case ("--only", let value?) where Self.groups.contains(value):
                    self.only = value
                default:
                    throw BenchmarkFailure(
                        "usage: goapi-bridge-bench [--repetitions N] [--only sse|irc|reply] | serve-webhook-peers"
                    )
                }
            }
        }
    }
}
