import IRC
import Testing

/// Channels the bot cannot get into, or is thrown out of: every refusal, silence and kick is retried, less and less
/// often, and `unjoinedChannels` says why for `/readyz`.
@Suite struct IRCClientStateMachineJoinTests {
    let base = IRCClientStateMachineTests()
    var start: ContinuousClock.Instant { self.base.start }

    /// Registered with `#closed` configured; its first JOIN has just been sent.
    func joining() -> IRCClientStateMachine {
        var machine = IRCClientStateMachine(configuration: self.base.configuration(channels: [.init(name: "#closed")]))
        _ = machine.connected(now: self.start)
        _ = machine.receive(self.base.line(":irc.example 001 gptbot :Welcome"), now: self.start)
        #expect(
            self.sent(machine.receive(self.base.line(":irc.example 422 gptbot :No MOTD"), now: self.start)) == [
                "JOIN #closed"
            ]
        )
        #expect(machine.unjoinedChannels == ["#closed": "joining"])
        return machine
    }

    func sent(_ actions: [IRCClientAction]) -> [String] { self.base.sent(actions) }

    /// A bouncer or broken server that never ends its MOTD (no 376, no 422) still gets the bot's JOINs, 30 s after
    /// 001: nothing else would ever wake the joins, and the bot would sit in no channel until it reconnected.
    @Test func channelsAreJoinedEvenWhenTheServerNeverEndsItsMOTD() {
        var machine = IRCClientStateMachine(configuration: self.base.configuration(channels: [.init(name: "#closed")]))
        _ = machine.connected(now: self.start)
        #expect(self.sent(machine.receive(self.base.line(":irc.example 001 gptbot :Welcome"), now: self.start)) == [])
        #expect(self.sent(machine.tick(now: self.start + .seconds(29))).filter { $0.hasPrefix("JOIN") }.isEmpty)
        #expect(
            self.sent(machine.tick(now: self.start + .seconds(30))).filter { $0.hasPrefix("JOIN") } == ["JOIN #closed"]
        )
        // A late end of MOTD joins nothing twice.
        #expect(
            self.sent(machine.receive(self.base.line(":irc.example 376 gptbot :End"), now: self.start + .seconds(31)))
                .isEmpty
        )
    }

    /// The seconds after `start` at which `machine` sends a JOIN, ticking every second up to `seconds`, with the
    /// server answering the bot's keepalive PINGs and refusing each JOIN with `numeric` (or ignoring it).
    func joinTimes(_ machine: inout IRCClientStateMachine, refusing numeric: String?, until seconds: Int) -> [Int] {
        var times: [Int] = []
        for second in 1...seconds {
            let now = self.start + .seconds(second)
            let lines = self.sent(machine.tick(now: now))
            if lines.contains(where: { $0.hasPrefix("PING") }) {
                _ = machine.receive(self.base.line(":irc.example PONG irc.example :goapi-bridge"), now: now)
            }
            guard lines.contains("JOIN #closed") else { continue }
            times.append(second)
            if let numeric {
                _ = machine.receive(self.base.line(":irc.example \(numeric) gptbot #closed :Cannot join"), now: now)
            }
        }
        return times
    }

    @Test func eachRefusalInARowDoublesTheWaitUpToHalfAnHour() {
        var machine = self.joining()
        _ = machine.receive(self.base.line(":irc.example 474 gptbot #closed :Cannot join (+b)"), now: self.start)
        // 60, 120, 240, 480, 960 s, then 1,800 s between JOINs instead of one a minute for as long as the ban lasts.
        let times = self.joinTimes(&machine, refusing: "474", until: 7_000)
        #expect(times == [60, 180, 420, 900, 1_860, 3_660, 5_460])
        #expect(machine.unjoinedChannels == ["#closed": "474 Cannot join"])
    }

    @Test func aJOINWithoutAnyAnswerIsSentAgainAndBacksOffToo() {
        var machine = self.joining()
        // Five minutes for an answer (a lagged server answers a bot in many channels slowly), then longer.
        let times = self.joinTimes(&machine, refusing: nil, until: 2_000)
        #expect(times == [300, 600, 900, 1_200, 1_680])
        #expect(machine.unjoinedChannels == ["#closed": "no answer to JOIN"])
        // The channel opens: the bot's own JOIN comes back and the retries stop.
        _ = machine.receive(self.base.line(":gptbot!bot@host JOIN #closed"), now: self.start + .seconds(1_681))
        #expect(machine.unjoinedChannels.isEmpty)
        #expect(self.joinTimes(&machine, refusing: nil, until: 4_000).isEmpty)
    }

    @Test func unavailableResourceAfterRegistrationIsAChannelHeldByANetsplit() {
        var machine = self.joining()
        let refused = machine.receive(
            self.base.line(":irc.example 437 gptbot #closed :Cannot join channel (netsplit)"),
            now: self.start
        )
        #expect(
            refused == [
                .event(
                    .joinFailed(
                        channel: "#closed",
                        code: "437",
                        reason: "Cannot join channel (netsplit)",
                        retryIn: .seconds(60)
                    )
                )
            ]
        )
        #expect(self.sent(machine.tick(now: self.start + .seconds(61))) == ["JOIN #closed"])
        // About a nick (our regain attempt), 437 changes nothing.
        #expect(machine.receive(self.base.line(":irc.example 437 gptbot gptbot :Nick is held"), now: self.start) == [])
    }

    @Test func kicksInARowDoubleTheRejoinDelayUntilTheBotStays() {
        var machine = self.base.registered()
        var now = self.start
        var waits: [Duration] = []
        for _ in 0..<4 {
            let actions = machine.receive(self.base.line(":op!o@h KICK #general gptbot :go away"), now: now)
            guard case .event(.kicked(_, _, _, let wait)) = actions.first else {
                Issue.record("expected a kick event, got \(actions)")
                return
            }
            waits.append(wait)
            now = now + wait
            #expect(self.sent(machine.tick(now: now)) == ["JOIN #general"])
            _ = machine.receive(self.base.line(":gptbot!bot@host JOIN #general"), now: now)
        }
        #expect(waits == [.seconds(10), .seconds(20), .seconds(40), .seconds(80)])
        #expect(machine.unjoinedChannels.isEmpty)

        // Ten minutes in the channel end the run: the next kick waits ten seconds again.
        now = now + .seconds(600)
        let kicked = machine.receive(self.base.line(":op!o@h KICK #general gptbot :again"), now: now)
        #expect(kicked == [.event(.kicked(channel: "#general", by: "op", reason: "again", rejoinIn: .seconds(10)))])
        #expect(machine.unjoinedChannels == ["#general": "kicked by op: again"])
    }

    @Test func nothingIsReportedUnjoinedBeforeRegistration() {
        var machine = IRCClientStateMachine(configuration: self.base.configuration())
        _ = machine.connected(now: self.start)
        #expect(machine.unjoinedChannels.isEmpty)
    }

    @Test func linesForAChannelTheBotIsOutOfWaitForIt() {
        var machine = self.base.registered()
        #expect(machine.channelsAwaitingJoin.isEmpty)
        _ = machine.receive(self.base.line(":op!o@h KICK #General gptbot :later"), now: self.start)
        #expect(machine.channelsAwaitingJoin == ["#general"], "folded, as the flood queue names it")
        _ = machine.receive(self.base.line(":gptbot!bot@host JOIN #general"), now: self.start + .seconds(10))
        #expect(machine.channelsAwaitingJoin.isEmpty)
    }

    @Test func refusedMessagesToAChannelAreReportedOnceUntilTheBotRejoins() {
        var machine = self.base.registered()
        let refusal = self.base.line(":irc.example 404 gptbot #General :Cannot send to channel (+m)")
        #expect(
            machine.receive(refusal, now: self.start) == [
                .event(.cannotSend(channel: "#General", reason: "Cannot send to channel (+m)"))
            ]
        )
        #expect(machine.receive(refusal, now: self.start).isEmpty, "one report, not one per refused line")
        _ = machine.receive(self.base.line(":op!o@h KICK #general gptbot :bye"), now: self.start)
        _ = machine.receive(self.base.line(":gptbot!bot@host JOIN #general"), now: self.start + .seconds(10))
        #expect(machine.receive(refusal, now: self.start + .seconds(11)).count == 1, "reported again after a rejoin")
    }
}
