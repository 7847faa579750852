import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the benchmarks and prints one line per figure. Build with `swift build -c release`.
@main
enum BenchMain {
    static func main() throws {
        print("goapi-bridge benchmarks (\(ProcessInfo.processInfo.processorCount) cores)")
        // Warm-up so the first measured run does not pay for lazy initialisation.
        _ = try SSEBenchmark.run(replyCharacters: 2_000, snapshots: 50, repetitions: 5)
        let cases: [(name: String, characters: Int, snapshots: Int, repetitions: Int)] = [
            ("short replies (300 chars, 10 snapshots)", 300, 10, 4_000),
            ("long replies (4000 chars, 120 snapshots)", 4_000, 120, 120),
            ("very long replies (20000 chars, 200 snapshots)", 20_000, 200, 12),
        ]
        var rssAfter: [Int] = []
        for entry in cases {
            let result = try SSEBenchmark.run(
                replyCharacters: entry.characters,
                snapshots: entry.snapshots,
                repetitions: entry.repetitions
            )
            rssAfter.append(maxRSSKilobytes())
            print(
                String(
                    format:
                        "sse decode+reduce  %-48@ %8.1f MB/s  (%.1f MB in %.2f s, largest event %d bytes, max RSS %d KiB)",
                    entry.name as NSString,
                    result.megabytesPerSecond,
                    Double(result.streamBytes) / 1e6,
                    result.seconds,
                    result.largestEvent,
                    maxRSSKilobytes()
                )
            )
        }
        // Ten times the stream with the same events: peak memory must not grow with stream length.
        let long = try SSEBenchmark.run(replyCharacters: 4_000, snapshots: 120, repetitions: 1_200)
        print(
            String(
                format: "sse memory check: %.0f MB stream, max RSS %d KiB (after the 4000-char case: %d KiB)",
                Double(long.streamBytes) / 1e6,
                maxRSSKilobytes(),
                rssAfter[1]
            )
        )
    }

    static func maxRSSKilobytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss)
    }
}
