import IRC
import Testing

extension IRCClientStateMachineTests {
    @Test func messagesToAChannelsOperatorsOnlyAreNeitherAnsweredPrivatelyNorInTheChannel() {
        var machine = self.registered()
        _ = machine.receive(self.line(":irc.example 005 gptbot STATUSMSG=@+ :are supported"), now: self.start)
        for line in [
            ":alice!u@h PRIVMSG @#general :gptbot: what is IRC?",
            ":alice!u@h PRIVMSG +#general :!gpt what is IRC?",
            ":alice!u@h PRIVMSG @#general :\u{01}VERSION\u{01}",
        ] {
            #expect(machine.receive(self.line(line), now: self.start).isEmpty, "\(line)")
        }
        let channel = machine.receive(self.line(":alice!u@h PRIVMSG #general :gptbot: what is IRC?"), now: self.start)
        #expect(channel.count == 1, "the channel itself is still answered")
    }

    /// Services that protect a nick someone else registered (Anope's kill protection, Atheme's ENFORCE) rename the
    /// bot to a guest nick a minute after it takes the nick, every time. Taking it back at the same pace for ever
    /// makes every channel show the bot changing nick, and the services notices, every minute or two: each rename
    /// in a row must double the wait before the next regain, as kicks in a row double the rejoin delay.
    @Test func renamesInARowDoubleTheWaitBeforeTheNextRegain() {
        var machine = self.registered()
        var now = self.start
        var current = "gptbot"
        var waits: [Duration] = []
        for round in 1...5 {
            now = now + .seconds(60)
            _ = machine.receive(self.line(":\(current)!bot@host NICK :Guest\(round)"), now: now)
            current = "Guest\(round)"
            let renamedAt = now
            var regained = false
            while now - renamedAt < .seconds(7_200) {
                now = now + .seconds(10)
                // The server stays in touch, so the keepalive never closes the connection meanwhile.
                _ = machine.receive(self.line("PING :irc.example"), now: now)
                if self.sent(machine.tick(now: now)).contains("NICK gptbot") {
                    regained = true
                    break
                }
            }
            #expect(regained, "round \(round): the bot still takes its nick back in the end")
            waits.append(now - renamedAt)
            _ = machine.receive(self.line(":\(current)!bot@host NICK :gptbot"), now: now)
            current = "gptbot"
        }
        for (previous, next) in zip(waits, waits.dropFirst()) {
            #expect(next >= previous * 2, "waits before each regain: \(waits)")
        }
    }

    @Test func ignoredSendersGetNoCTCPReplies() {
        var configuration = self.configuration()
        configuration.ignoreMasks = [IRCMask("*!*@bots.example"), IRCMask("spam[bot]!*@*")]
        var machine = self.registered(configuration)
        for line in [
            ":relay!r@bots.example PRIVMSG gptbot :\u{01}VERSION\u{01}",
            ":relay!r@BOTS.example PRIVMSG #general :\u{01}PING 1\u{01}",
            ":Spam{Bot}!x@y PRIVMSG gptbot :\u{01}PING 2\u{01}",
        ] {
            #expect(machine.receive(self.line(line), now: self.start).isEmpty, "\(line)")
        }
        let answered = machine.receive(self.line(":alice!u@h PRIVMSG gptbot :\u{01}PING 3\u{01}"), now: self.start)
        #expect(
            answered == [
                .sendThrottled(
                    IRCMessage(command: "NOTICE", parameters: ["alice", "\u{01}PING 3\u{01}"]),
                    target: "alice"
                )
            ]
        )
    }

    /// An operator's server-mask broadcast is an announcement to everyone, not a question in a query.
    @Test(arguments: [
        ":oper!o@staff.example PRIVMSG $*.example :Services will restart in 5 minutes",
        ":oper!o@staff.example PRIVMSG $$* :Network maintenance tonight",
    ])
    func serverMaskBroadcastsAreNotQuestions(line: String) {
        var machine = self.registered()
        #expect(machine.receive(self.line(line), now: self.start).isEmpty)
    }

    @Test func othersRenamesAndQuitsAreReported() {
        var machine = self.registered()
        #expect(
            machine.receive(self.line(":alice!a@h NICK alice_away"), now: self.start) == [
                .event(.userRenamed(from: "alice", to: "alice_away"))
            ]
        )
        #expect(
            machine.receive(self.line(":alice_away!a@h QUIT :bye"), now: self.start) == [
                .event(.userQuit(nick: "alice_away"))
            ]
        )
    }

    /// IRCv3 bot mode: a message the server tags as a bot's is not answered, so two bots cannot keep each other
    /// talking.
    @Test(arguments: [
        "@bot :relay!r@h PRIVMSG #general :gptbot: what is IRC?",
        "@bot;msgid=1 :relay!r@h PRIVMSG gptbot :what is IRC?",
        "@bot :relay!r@h PRIVMSG gptbot :\u{01}VERSION\u{01}",
    ])
    func messagesTaggedAsABotsAreNotAnswered(line: String) {
        var machine = self.registered()
        #expect(machine.receive(self.line(line), now: self.start).isEmpty)
    }

    /// A CTCP PING token is echoed at most 64 bytes long: 64 characters of combining marks are kilobytes.
    @Test func aCTCPPingTokenIsBoundedInBytes() throws {
        var machine = self.registered()
        let token = "a" + String(repeating: "\u{301}", count: 200)
        let actions = machine.receive(
            self.line(":alice!u@h PRIVMSG gptbot :\u{01}PING \(token)\u{01}"),
            now: self.start
        )
        guard case .sendThrottled(let notice, _) = try #require(actions.first) else {
            Issue.record("no reply: \(actions)")
            return
        }
        let echoed = notice.parameters[1]
        #expect(echoed.utf8.count <= 64 + 2)
        #expect(echoed.unicodeScalars.starts(with: "\u{01}PING a\u{301}\u{301}".unicodeScalars))
    }
}
