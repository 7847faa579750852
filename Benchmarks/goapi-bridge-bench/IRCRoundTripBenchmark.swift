import BridgeTesting
import Foundation

/// End-to-end overhead of the bridge: the time from a person's PRIVMSG to the bot's reply through InspIRCd over TLS,
/// with the stub GoAPI answering at once, next to the plain PRIVMSG round trip between two clients through the same
/// server in the same run.
///
/// `alice` asks `gptbot1: question <n>` in `#bench-1-1` and waits for `alice: answer <n>` (the stub is told that
/// answer just before); `bob` sends `ping <n>` to `carol`, who answers `pong <n>` at once. Samples alternate, one
/// bridge question then one plain round trip, so both see the same machine load; every sample's text is checked and
/// a wrong one stops the benchmark. Times are wall-clock, from just before the line is written to the moment the
/// answer is parsed on the client. Both paths cross the server twice (client → InspIRCd → bot or `carol` → InspIRCd
/// → client) and pay the same client-side costs, so their difference is the bridge's own overhead: its IRC parsing
/// and routing, the SQLite writes for the turn, the GoAPI request to the stub on loopback and its SSE decoding, the
/// reply's formatting and flood control.
enum IRCRoundTripBenchmark {
    /// The samples of one run, in seconds.
    struct Timings {
        var bridge: [Double] = []
        var plain: [Double] = []
    }

    /// The pause before each sample.
    ///
    /// The bot has `echo-message`, so just after its answer InspIRCd sends it the echo of that answer; a question
    /// sent right then waits in InspIRCd's socket (Nagle's algorithm: InspIRCd does not set `TCP_NODELAY`) until the
    /// bot's kernel acknowledges the echo, which it delays by up to 40 ms. Back-to-back samples would measure that
    /// interaction rather than the bridge, and a person rarely asks within milliseconds of the previous answer.
    static let pause = Duration.milliseconds(100)

    /// Measures `samples` of each kind after `warmUp` untimed ones and returns the figures.
    static func run(
        server: InspIRCdServer,
        goapi: StubGoAPIServer,
        samples: Int,
        warmUp: Int = 20
    ) async throws
        -> [Figure]
    {
        let bot = BridgeUnderTest.Layout.nick(network: 1)
        let channel = BridgeUnderTest.Layout.channel(network: 1, channel: 1)
        async let connectedAlice = Self.connect(server, nick: "alice")
        async let connectedBob = Self.connect(server, nick: "bob")
        async let connectedCarol = Self.connect(server, nick: "carol")
        let (alice, bob, carol) = try await (connectedAlice, connectedBob, connectedCarol)
        defer {
            alice.close()
            bob.close()
            carol.close()
        }
        let names = try await alice.join(channel)
        guard names.contains(where: { $0.drop { "~&@%+".contains($0) }.lowercased() == bot }) else {
            throw BenchmarkFailure("\(bot) is not in \(channel): NAMES gave \(names)")
        }
        let echo = Task {
            while !Task.isCancelled {
                let ping = try await carol.waitForMessage("ping from bob", timeout: .seconds(3_600)) {
                    $0.command == "PRIVMSG" && $0.sourceNick == "bob" && ($0.parameters.last ?? "").hasPrefix("ping ")
                }
                try await carol.send("PRIVMSG bob :pong \((ping.parameters.last ?? "").dropFirst("ping ".count))")
            }
        }
        defer { echo.cancel() }

        var timings = Timings()
        for index in 0..<(warmUp + samples) {
            try await Task.sleep(for: Self.pause)
            let bridge = try await Self.askBridge(alice, bot: bot, channel: channel, goapi: goapi, index: index)
            try await Task.sleep(for: Self.pause)
            let plain = try await Self.pingPong(bob, index: index)
            if index >= warmUp {
                timings.bridge.append(bridge)
                timings.plain.append(plain)
            }
        }
        return Self.figures(timings, warmUp: warmUp)
    }

    private static func connect(_ server: InspIRCdServer, nick: String) async throws -> TestIRCClient {
        let client = try await server.connectClient()
        try await client.register(nick: nick)
        return client
    }

    /// One question through the bridge: seconds from sending it to receiving the checked answer.
    private static func askBridge(
        _ alice: TestIRCClient,
        bot: String,
        channel: String,
        goapi: StubGoAPIServer,
        index: Int
    ) async throws -> Double {
        goapi.enqueue(.reply("answer \(index)"))
        let clock = ContinuousClock()
        let start = clock.now
        try await alice.send("PRIVMSG \(channel) :\(bot): question \(index)")
        let reply = try await alice.waitForMessage("reply from \(bot)", timeout: .seconds(30)) {
            ($0.command == "PRIVMSG" || $0.command == "NOTICE") && $0.sourceNick?.lowercased() == bot
        }
        let elapsed = clock.now - start
        let expected = "alice: answer \(index)"
        guard reply.command == "PRIVMSG", reply.parameters.first?.lowercased() == channel,
            reply.parameters.last == expected
        else {
            throw BenchmarkFailure("question \(index): expected \"\(expected)\" in \(channel), got \(reply.raw)")
        }
        return Self.seconds(elapsed)
    }

    /// One plain round trip bob → carol → bob: seconds from sending `ping` to receiving the matching `pong`.
    private static func pingPong(_ bob: TestIRCClient, index: Int) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try await bob.send("PRIVMSG carol :ping \(index)")
        let pong = try await bob.waitForMessage("pong from carol", timeout: .seconds(30)) {
            $0.command == "PRIVMSG" && $0.sourceNick == "carol"
        }
        let elapsed = clock.now - start
        guard pong.parameters.last == "pong \(index)" else {
            throw BenchmarkFailure("round trip \(index): expected \"pong \(index)\", got \(pong.raw)")
        }
        return Self.seconds(elapsed)
    }

    private static func figures(_ timings: Timings, warmUp: Int) -> [Figure] {
        let bridge = Percentiles(timings.bridge)
        let plain = Percentiles(timings.plain)
        let count = timings.bridge.count
        let setting =
            "\(count) sequential samples of each kind after \(warmUp) warm-up ones, alternating, "
            + "\(Self.pause) apart; "
            + "InspIRCd over TLS on loopback; the stub GoAPI answers at once"
        return [
            Figure(
                name: "IRC question → bridge reply over TLS, median",
                value: bridge.median * 1_000,
                unit: "ms",
                target: nil,
                details: "p99 \(Self.ms(bridge.p99)) ms, fastest \(Self.ms(bridge.minimum)) ms, slowest "
                    + "\(Self.ms(bridge.maximum)) ms; `alice` asks `gptbot1: question <n>` in a channel and gets "
                    + "`alice: answer <n>`, each checked; \(setting)"
            ),
            Figure(
                name: "IRC question → bridge reply over TLS, p99",
                value: bridge.p99 * 1_000,
                unit: "ms",
                target: nil,
                details: "same samples"
            ),
            Figure(
                name: "Plain PRIVMSG round trip between two clients, median",
                value: plain.median * 1_000,
                unit: "ms",
                target: nil,
                details: "p99 \(Self.ms(plain.p99)) ms, fastest \(Self.ms(plain.minimum)) ms, slowest "
                    + "\(Self.ms(plain.maximum)) ms; `bob` sends `ping <n>` to `carol`, who answers `pong <n>` at "
                    + "once (both cross the server twice, as the question and its answer do); \(setting)"
            ),
            Figure(
                name: "Bridge overhead at the median (bridge reply − plain round trip)",
                value: (bridge.median - plain.median) * 1_000,
                unit: "ms",
                target: .atMost(2),
                details: "at p99: \(Self.ms(bridge.p99 - plain.p99)) ms; includes the GoAPI request to the stub on "
                    + "loopback (HTTP, SSE decoding) and the SQLite writes for the turn"
            ),
            Figure(
                name: "Bridge reply / plain round trip at the median",
                value: bridge.median / plain.median,
                unit: "×",
                target: nil,
                details: "at p99: \(String(format: "%.1f", bridge.p99 / plain.p99)) ×"
            ),
        ]
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func ms(_ seconds: Double) -> String {
        String(format: "%.2f", seconds * 1_000)
    }
}

/// Median, 99th percentile and extremes of a set of samples.
struct Percentiles {
    var median: Double
    var p99: Double
    var minimum: Double
    var maximum: Double

    /// Computes them; `values` must not be empty. The p99 is the nearest-rank one (the smallest value at least 99%
    /// of the samples do not exceed).
    init(_ values: [Double]) {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        self.median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        let rank = Int((Double(sorted.count) * 0.99).rounded(.up))
        self.p99 = sorted[max(rank - 1, 0)]
        self.minimum = sorted[0]
        self.maximum = sorted[sorted.count - 1]
    }
}
