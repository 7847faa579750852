import IRC
import Testing

extension IRCClientStateMachineTests {
    /// History a server or bouncer replays (InspIRCd's `+H` on join, ZNC's buffer) was said before: its questions
    /// were answered then, or are too old to answer now. Lines sent after the batch ends are answered as usual.
    @Test(arguments: ["chathistory", "znc.in/playback", "CHATHISTORY"])
    func questionsInAReplayedHistoryBatchAreNotAnswered(type: String) {
        var machine = self.registered()
        for line in [
            ":irc.example BATCH +h1 \(type) #general",
            "@batch=h1;time=2026-11-27T10:00:00.000Z :alice!u@h PRIVMSG #general :gptbot: what is IRC?",
            "@batch=h1 :alice!u@h PRIVMSG gptbot :and in private?",
            "@batch=h1 :alice!u@h PRIVMSG gptbot :\u{01}VERSION\u{01}",
            ":irc.example BATCH -h1",
        ] {
            #expect(machine.receive(self.line(line), now: self.start).isEmpty, "\(line)")
        }
        let live = machine.receive(self.line(":alice!u@h PRIVMSG #general :gptbot: what is IRC?"), now: self.start)
        #expect(live.count == 1, "a question asked after the replay is answered")
    }

    /// A server that replays a channel's history without a batch (InspIRCd's `chanhistory` when the server offers no
    /// `batch`, a bouncer's buffer) still stamps each replayed line with its `server-time`. A channel line stamped
    /// before the bot's own JOIN of that channel was said before the bot was there: answering it again on every
    /// rejoin would repeat old answers in the channel (and pay GoAPI for them).
    @Test func channelLinesStampedBeforeTheBotJoinedAreHistoryEvenWithoutABatch() {
        var machine = self.registered()
        _ = machine.receive(self.line(":op!o@h KICK #general gptbot :out"), now: self.start)
        _ = machine.receive(
            self.line("@time=2026-11-28T10:00:05.000Z :gptbot!bot@host.example JOIN #general"),
            now: self.start
        )
        let replayed = machine.receive(
            self.line("@time=2026-11-28T09:58:00.000Z :alice!u@h PRIVMSG #general :gptbot: what is IRC?"),
            now: self.start
        )
        #expect(replayed.isEmpty, "a line from before the JOIN is history: \(replayed)")
        let live = machine.receive(
            self.line("@time=2026-11-28T10:00:06.000Z :alice!u@h PRIVMSG #general :gptbot: and now?"),
            now: self.start
        )
        #expect(live.count == 1, "a line stamped after the JOIN is live")
        let untagged = machine.receive(self.line(":alice!u@h PRIVMSG #general :gptbot: no tag?"), now: self.start)
        #expect(untagged.count == 1, "a line without a time stamp is live")
    }

    /// A batch opened inside a history batch carries replayed lines too, and replayed membership changes do not
    /// change who the bot thinks is present.
    @Test func nestedBatchesAndMembershipChangesInHistoryAreReplayOnly() {
        var machine = self.registered()
        for line in [
            ":irc.example BATCH +outer chathistory #general",
            "@batch=outer :irc.example BATCH +inner draft/multiline #general",
            "@batch=inner :alice!u@h PRIVMSG #general :gptbot: first line",
            // Reported as a quit now, this would send an answer waiting for alice nowhere.
            "@batch=outer :alice!u@h QUIT :Quit: replayed",
            "@batch=outer :irc.example BATCH -inner",
            ":irc.example BATCH -outer",
        ] {
            #expect(machine.receive(self.line(line), now: self.start).isEmpty, "\(line)")
        }
    }

    /// Other batches (a netsplit's rejoins, a multiline message) carry live lines, which are handled as usual.
    @Test func linesInOtherBatchesAreLive() {
        var machine = self.registered()
        _ = machine.receive(self.line(":irc.example BATCH +n1 netjoin irc.a.example irc.b.example"), now: self.start)
        let question = machine.receive(
            self.line("@batch=n1 :alice!u@h PRIVMSG #general :gptbot: still there?"),
            now: self.start
        )
        #expect(question.count == 1)
    }

    /// Every connection starts with no batch open: a history batch cut off by a disconnect does not silence the
    /// next connection's lines that happen to reuse its reference.
    @Test func aReconnectForgetsOpenBatches() {
        var machine = self.registered()
        _ = machine.receive(self.line(":irc.example BATCH +h1 chathistory #general"), now: self.start)
        machine.disconnected()
        _ = machine.connected(now: self.start)
        _ = machine.receive(self.line(":irc.example 001 gptbot :Welcome"), now: self.start)
        let question = machine.receive(self.line("@batch=h1 :alice!u@h PRIVMSG gptbot :hello?"), now: self.start)
        #expect(question.count == 1)
    }

    @Test func theBotAsksForBatches() {
        var machine = IRCClientStateMachine(configuration: self.configuration())
        _ = machine.connected(now: self.start)
        let request = machine.receive(self.line(":irc.example CAP * LS :server-time batch"), now: self.start)
        #expect(self.sent(request) == ["CAP REQ :server-time batch"])
    }
}
