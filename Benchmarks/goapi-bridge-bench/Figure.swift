import Foundation

/// One reported number: what was measured, the median over the repetitions, and the target it is held to.
///
/// ``line`` is the one line the benchmark prints for it; `scripts/bench.sh` turns those lines into the table in
/// `docs/PERFORMANCE.md`, so the fields are separated by ` | ` and never contain one.
struct Figure {
    /// The bound a figure must meet.
    enum Target {
        /// At least this many units (a throughput).
        case atLeast(Double)
        /// At most this many units (a time or a size).
        case atMost(Double)
    }

    /// What was measured, e.g. `IRC parse, PRIVMSG with tags`.
    var name: String
    /// The median over the repetitions, in ``unit``.
    var value: Double
    /// `MB/s`, `lines/s`, `ms` or `MiB`.
    var unit: String
    /// The bound to meet; `nil` for a figure reported for information only.
    var target: Target?
    /// Input sizes, spread of the repetitions and anything else a reader needs to trust the number.
    var details: String

    /// Whether the figure meets its target; a figure without one always passes.
    var passed: Bool {
        switch self.target {
        case .atLeast(let bound): self.value >= bound
        case .atMost(let bound): self.value <= bound
        case nil: true
        }
    }

    /// `name | value unit | target | PASS/FAIL/info | details`.
    var line: String {
        let target: String
        let verdict: String
        switch self.target {
        case .atLeast(let bound):
            target = "≥ \(Self.format(bound, self.unit)) \(self.unit)"
            verdict = self.passed ? "PASS" : "FAIL"
        case .atMost(let bound):
            target = "≤ \(Self.format(bound, self.unit)) \(self.unit)"
            verdict = self.passed ? "PASS" : "FAIL"
        case nil:
            target = "—"
            verdict = "info"
        }
        let value = "\(Self.format(self.value, self.unit)) \(self.unit)"
        return [self.name, value, target, verdict, self.details].joined(separator: " | ")
    }

    /// Counts get thousands separators, rates and times the precision their noise deserves.
    static func format(_ value: Double, _ unit: String) -> String {
        switch unit {
        case "lines/s":
            let digits = String(Int(value.rounded()))
            var grouped = ""
            for (offset, digit) in digits.enumerated() {
                if offset > 0 && (digits.count - offset) % 3 == 0 { grouped += "," }
                grouped.append(digit)
            }
            return grouped
        case "ms":
            return String(format: "%.2f", value)
        default:
            return String(format: "%.1f", value)
        }
    }
}

/// Timings of repeated runs of the same work.
///
/// Runs are timed with the thread's CPU clock: on a shared machine the scheduler hands the core to other processes
/// now and then, and that time says nothing about how fast the code is on one core. Wall-clock time is recorded too
/// and shown next to each figure, so the difference is visible.
struct Samples {
    /// CPU seconds the thread spent per run, in the order they ran.
    var cpuSeconds: [Double] = []
    /// Wall-clock seconds per run, in the order they ran.
    var wallSeconds: [Double] = []

    /// Runs `run` once as a warm-up, then `repetitions` times timed; `verify` checks every result, untimed, and
    /// throws when one is wrong.
    init<Result>(
        repetitions: Int,
        run: () throws -> Result,
        verify: (Result) throws -> Void = { _ in }
    ) throws {
        try verify(run())
        let clock = ContinuousClock()
        for _ in 0..<repetitions {
            let cpuStart = Self.threadCPUTime()
            let start = clock.now
            let result = try run()
            let elapsed = clock.now - start
            self.cpuSeconds.append(Self.threadCPUTime() - cpuStart)
            try verify(result)
            self.wallSeconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
    }

    /// The median CPU time of a run: the middle run (the mean of the two middle ones for an even count), so one
    /// disturbed run does not move it.
    var median: Double { Self.median(self.cpuSeconds) }
    /// The median wall-clock time of a run.
    var wallMedian: Double { Self.median(self.wallSeconds) }
    /// The fastest and slowest run by CPU time, to show how noisy the machine was.
    var range: (fastest: Double, slowest: Double) {
        (self.cpuSeconds.min() ?? 0, self.cpuSeconds.max() ?? 0)
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// CPU seconds the calling thread has used.
    private static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

extension Figure {
    /// A rate: `amount` units of work per run, divided by the median run time.
    init(rate name: String, amount: Double, unit: String, _ samples: Samples, target: Target?, details: String) {
        let (fastest, slowest) = samples.range
        let format = { (seconds: Double) in Self.format(amount / seconds, unit) }
        self.init(
            name: name,
            value: amount / samples.median,
            unit: unit,
            target: target,
            details: details
                + "; runs \(format(slowest))–\(format(fastest)) \(unit), wall-clock median \(format(samples.wallMedian))"
        )
    }

    /// A duration: the median run time in milliseconds.
    init(duration name: String, _ samples: Samples, target: Target?, details: String) {
        let (fastest, slowest) = samples.range
        let format = { (seconds: Double) in Self.format(seconds * 1_000, "ms") }
        self.init(
            name: name,
            value: samples.median * 1_000,
            unit: "ms",
            target: target,
            details: details
                + "; runs \(format(fastest))–\(format(slowest)) ms, wall-clock median \(format(samples.wallMedian)) ms"
        )
    }
}

/// Thrown when a benchmark's output is wrong: a broken optimisation must fail, not report a good number.
struct BenchmarkFailure: Error, CustomStringConvertible {
    /// What was wrong.
    var description: String

    /// Creates a failure saying what was wrong.
    init(_ description: String) {
        self.description = description
    }
}
