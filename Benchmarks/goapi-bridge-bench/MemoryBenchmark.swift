import BridgeTesting
import Foundation

/// The bridge's resident set size (`VmRSS` of the real binary, read from `/proc`): idle with every network registered
/// and every channel joined, at the peak of many questions streaming at once from a slow stub, and after thousands of
/// questions once it has settled, to show it returns near idle (no leak).
enum MemoryBenchmark {
    /// How the load is shaped.
    struct Load: Sendable {
        /// Questions asked at once, each from its own person in a private query (its own conversation).
        var concurrent: Int
        /// Questions in all, in waves of ``concurrent``; the first wave streams slowly.
        var total: Int
        /// The slow stub's pause between events (a turn has 9 events).
        var slowEventDelay: Duration
        /// How long the bridge is left alone before a settled reading.
        var settle: Duration
        /// No new wave starts once the waves after the first have taken this long (`nil`: no limit); the figures
        /// then say how many questions were asked.
        var budget: Duration?
    }

    /// The answer of the slow stub: a realistic one-line answer.
    static let slowAnswer =
        "A slow answer streamed in cumulative snapshots, long enough to look like a real one: it names a few things, "
        + "explains one of them and ends with a question for the asker."

    /// The median of `count` readings taken `interval` apart after `settle`, in MiB.
    static func settledResidentMiB(
        _ bridge: BridgeUnderTest,
        settle: Duration,
        count: Int = 9,
        interval: Duration = .milliseconds(300)
    ) async throws -> Double {
        try await Task.sleep(for: settle)
        var readings: [Double] = []
        for _ in 0..<count {
            readings.append(try bridge.residentMiB())
            try await Task.sleep(for: interval)
        }
        return Percentiles(readings).median
    }

    /// The idle figure: `layout`'s networks registered and channels joined, nothing asked yet.
    static func idle(
        _ bridge: BridgeUnderTest,
        layout: BridgeUnderTest.Layout,
        settle: Duration
    ) async throws
        -> (figure: Figure, mebibytes: Double)
    {
        let idle = try await Self.settledResidentMiB(bridge, settle: settle)
        let peakSoFar = try bridge.peakResidentMiB()
        let breakdown = try bridge.residentBreakdown()
        let figure = Figure(
            name: "Bridge RSS idle, \(layout.networks) networks × \(layout.channelsPerNetwork) channels joined",
            value: idle,
            unit: "MiB",
            target: .atMost(40),
            details: "VmRSS of the release binary once `/readyz` is 200 and names no channel still to join (every "
                + "network registered, every channel joined), median of 9 readings after \(settle) idle; peak so far (VmHWM) "
                + "\(String(format: "%.1f", peakSoFar)) MiB; resident: \(breakdown); all networks on one local InspIRCd "
                + "over TLS, each with its own nick and channels"
        )
        return (figure, idle)
    }

    /// The load figures: the peak while ``Load/concurrent`` questions stream slowly, then the settled RSS after
    /// ``Load/total`` questions against `idle`.
    static func load(
        _ bridge: BridgeUnderTest,
        layout: BridgeUnderTest.Layout,
        server: InspIRCdServer,
        goapi: StubGoAPIServer,
        load: Load,
        idle: Double
    ) async throws -> [Figure] {
        let people = try await Self.connectPeople(server, count: load.concurrent)
        defer {
            for person in people { person.client.close() }
        }
        let clock = ContinuousClock()

        // Wave 1: every question at once, streamed slowly.
        for _ in 0..<load.concurrent {
            goapi.enqueue(.reply(Self.slowAnswer, eventDelay: load.slowEventDelay))
        }
        let hwmBefore = try bridge.peakResidentMiB()
        let sampler = Task {
            var highest = 0.0
            while !Task.isCancelled {
                if let rss = try? bridge.residentMiB() {
                    highest = max(highest, rss)
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return highest
        }
        let slowStart = clock.now
        var slowWaveError: (any Error)?
        do {
            try await Self.wave(people, wave: 1, answer: Self.slowAnswer)
        } catch {
            slowWaveError = error
        }
        let slowDuration = clock.now - slowStart
        sampler.cancel()
        let sampledPeak = await sampler.value
        if let slowWaveError {
            throw slowWaveError
        }
        let peak = try bridge.peakResidentMiB()
        let stubConcurrency = goapi.maximumConcurrentConversations
        guard stubConcurrency >= min(load.concurrent, layout.maxConcurrentRequests) / 2 else {
            throw BenchmarkFailure("only \(stubConcurrency) GoAPI requests were ever in flight at once")
        }

        // The remaining waves answer at once; RSS is read settled after the second and after the last.
        var asked = load.concurrent
        var wave = 1
        var afterSecondWave: Double?
        let fastStart = clock.now
        while asked < load.total, load.budget.map({ clock.now - fastStart < $0 }) ?? true {
            wave += 1
            try await Self.wave(people, wave: wave, answer: StubGoAPIServer.defaultReply)
            asked += people.count
            if wave == 2 {
                afterSecondWave = try await Self.settledResidentMiB(bridge, settle: load.settle)
            }
        }
        let fastDuration = clock.now - fastStart
        let answered = goapi.conversationRequests.count
        let after = try await Self.settledResidentMiB(bridge, settle: load.settle)
        let breakdown = try bridge.residentBreakdown()
        let baseline = afterSecondWave ?? after
        // A minute on, the GoAPI client has also closed its warm connections (the burst's others close 2 s after
        // their last use, before the settled reading); this reading shows what is left then.
        let late = try await Self.settledResidentMiB(bridge, settle: Self.lateSettle - load.settle)
        let lateBreakdown = try bridge.residentBreakdown()
        let slowSeconds = Double(slowDuration.components.seconds)
        let budget = load.budget.map { "\($0)" } ?? "none"
        let cut =
            asked < load.total
            ? " (stopped at the time budget of \(budget) before the \(Self.grouped(load.total)) planned)" : ""
        let fastRate = Double(asked - load.concurrent) / Self.seconds(fastDuration)
        return [
            Figure(
                name: "Bridge peak RSS, \(load.concurrent) questions at once from a slow stub",
                value: peak,
                unit: "MiB",
                target: .atMost(150),
                details: "VmHWM after the wave (\(String(format: "%.1f", hwmBefore)) MiB before it; highest VmRSS "
                    + "sampled every 50 ms during it \(String(format: "%.1f", sampledPeak)) MiB); "
                    + "\(load.concurrent) people in private queries spread over the \(layout.networks) networks ask "
                    + "at once, each answer streamed as 9 events \(load.slowEventDelay) apart and checked; "
                    + "`goapi.maxConcurrentRequests` \(layout.maxConcurrentRequests) (the most the configuration "
                    + "accepts), so \(stubConcurrency) streamed at once and the rest waited in the bridge; the wave "
                    + "took \(Int(slowSeconds)) s"
            ),
            Figure(
                name: "Bridge RSS after \(Self.grouped(asked)) questions, settled",
                value: after,
                unit: "MiB",
                target: .atMost(idle + 10),
                details: "target: idle (\(String(format: "%.1f", idle)) MiB) + 10 MiB; median of 9 readings "
                    + "\(load.settle) after the last answer; \(wave) waves of \(load.concurrent) questions, the first "
                    + "slow, the others answered at once (\(String(format: "%.0f", fastRate)) questions/s)\(cut), "
                    + "\(answered) GoAPI requests in all, every answer checked; resident then: \(breakdown)"
            ),
            Figure(
                name: "Bridge RSS \(Self.lateSettle) after the last answer",
                value: late,
                unit: "MiB",
                target: nil,
                details: "median of 9 readings; by then the GoAPI client has closed its warm connections too (up "
                    + "to 8, kept 60 s idle; the others the burst opened, up to \(layout.maxConcurrentRequests), "
                    + "close 2 s after their last use); resident then: \(lateBreakdown)"
            ),
            Figure(
                name: "Bridge RSS growth from question \(Self.grouped(2 * load.concurrent)) to \(Self.grouped(asked))",
                value: after - baseline,
                unit: "MiB",
                target: .atMost(5),
                details: "settled RSS after the second wave \(String(format: "%.1f", baseline)) MiB, after the last "
                    + "\(String(format: "%.1f", after)) MiB: a leak would grow with every wave, while memory the "
                    + "allocator keeps after the slow wave's peak does not"
            ),
        ]
    }

    /// When the late reading starts, counted from the last answer.
    static let lateSettle = Duration.seconds(65)

    /// A person in a private query with one bot.
    struct Person: Sendable {
        var client: TestIRCClient
        var nick: String
        var bot: String
    }

    /// Connects and registers `count` people, 50 at a time, each assigned a bot round-robin over the networks.
    private static func connectPeople(_ server: InspIRCdServer, count: Int) async throws -> [Person] {
        var people: [Person] = []
        let networks = 3
        for batchStart in stride(from: 0, to: count, by: 50) {
            let batch = try await withThrowingTaskGroup(of: Person.self) { group in
                for index in batchStart..<min(batchStart + 50, count) {
                    group.addTask {
                        let nick = "person\(index)"
                        let client = try await server.connectClient()
                        try await client.register(nick: nick, timeout: .seconds(60))
                        return Person(
                            client: client,
                            nick: nick,
                            bot: BridgeUnderTest.Layout.nick(network: index % networks + 1)
                        )
                    }
                }
                var batch: [Person] = []
                for try await person in group { batch.append(person) }
                return batch
            }
            people += batch
        }
        return people
    }

    /// Every person asks their bot one question at once and waits for the answer, which must be `answer`.
    private static func wave(_ people: [Person], wave: Int, answer: String) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for person in people {
                group.addTask {
                    try await person.client.send("PRIVMSG \(person.bot) :question \(wave) from \(person.nick)")
                    let bot = person.bot
                    let reply = try await person.client.waitForMessage("answer from \(bot)", timeout: .seconds(300)) {
                        ($0.command == "PRIVMSG" || $0.command == "NOTICE") && $0.sourceNick?.lowercased() == bot
                    }
                    let text = reply.parameters.last ?? ""
                    guard reply.command == "PRIVMSG", text == answer || text == "\(person.nick): \(answer)" else {
                        throw BenchmarkFailure("wave \(wave), \(person.nick): expected \"\(answer)\", got \(reply.raw)")
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private static func grouped(_ count: Int) -> String {
        Figure.format(Double(count), "lines/s")
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
