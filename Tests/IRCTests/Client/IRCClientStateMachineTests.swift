import IRC
import Testing

/// Drives the connection state machine step by step, as a server would, with no socket and fixed instants.
@Suite struct IRCClientStateMachineTests {
    let start = ContinuousClock.now

    func configuration(
        sasl: IRCClientConfiguration.SASL? = nil,
        channels: [IRCClientConfiguration.Channel] = [.init(name: "#general"), .init(name: "#secret", key: "hunter2")],
        password: String? = nil
    ) -> IRCClientConfiguration {
        IRCClientConfiguration(
            name: "test",
            host: "irc.example",
            port: 6697,
            password: password,
            nick: "gptbot",
            altNicks: ["gptbot2"],
            sasl: sasl,
            channels: channels
        )
    }

    func line(_ text: String) -> IRCMessage {
        try! IRCMessage(parsing: text)
    }

    func sent(_ actions: [IRCClientAction]) -> [String] {
        actions.compactMap {
            if case .send(let message) = $0 { return message.serialized }
            return nil
        }
    }

    /// Registers without SASL and finishes the MOTD; returns the machine ready for session tests.
    func registered(_ configuration: IRCClientConfiguration? = nil) -> IRCClientStateMachine {
        var machine = IRCClientStateMachine(configuration: configuration ?? self.configuration())
        _ = machine.connected(now: self.start)
        _ = machine.receive(
            self.line(":irc.example CAP * LS :multi-prefix message-tags server-time batch"),
            now: self.start
        )
        _ = machine.receive(
            self.line(":irc.example CAP * ACK :multi-prefix message-tags server-time batch"),
            now: self.start
        )
        _ = machine.receive(self.line(":irc.example 001 gptbot :Welcome"), now: self.start)
        _ = machine.receive(
            self.line(":irc.example 005 gptbot PREFIX=(qaohv)~&@%+ CHANTYPES=# CASEMAPPING=rfc1459 :are supported"),
            now: self.start
        )
        _ = machine.receive(self.line(":irc.example 376 gptbot :End of MOTD"), now: self.start)
        _ = machine.receive(self.line(":gptbot!bot@host.example JOIN #general"), now: self.start)
        _ = machine.receive(self.line(":gptbot!bot@host.example JOIN #secret"), now: self.start)
        return machine
    }

    @Test func connectingStartsCapabilityNegotiationAndRegistration() {
        var machine = IRCClientStateMachine(configuration: self.configuration(password: "serverpass"))
        #expect(
            self.sent(machine.connected(now: self.start)) == [
                "CAP LS 302", "PASS serverpass", "NICK gptbot", "USER gptbot 0 * goapi-bridge",
            ]
        )
    }

    @Test func requestsOnlyOfferedCapabilitiesAcrossMultiLineLS() {
        var machine = IRCClientStateMachine(configuration: self.configuration())
        _ = machine.connected(now: self.start)
        #expect(machine.receive(self.line(":irc.example CAP * LS * :message-tags sasl=PLAIN"), now: self.start).isEmpty)
        let request = self.sent(
            machine.receive(self.line(":irc.example CAP * LS :server-time echo-message away-notify"), now: self.start)
        )
        #expect(
            request == ["CAP REQ :message-tags server-time echo-message"],
            "sasl is not requested when not configured"
        )
        #expect(
            self.sent(
                machine.receive(
                    self.line(":irc.example CAP * ACK :message-tags server-time echo-message"),
                    now: self.start
                )
            ) == ["CAP END"]
        )
        #expect(machine.enabledCapabilities == ["message-tags", "server-time", "echo-message"])
    }

    @Test func saslPlainAuthenticatesBeforeEndingNegotiationAndJoining() {
        var machine = IRCClientStateMachine(
            configuration: self.configuration(sasl: .plain(username: "gptbot", password: "secret"))
        )
        _ = machine.connected(now: self.start)
        #expect(
            self.sent(
                machine.receive(self.line(":irc.example CAP * LS :sasl=PLAIN,EXTERNAL message-tags"), now: self.start)
            ) == [
                "CAP REQ :message-tags sasl"
            ]
        )
        #expect(
            self.sent(machine.receive(self.line(":irc.example CAP * ACK :message-tags sasl"), now: self.start)) == [
                "AUTHENTICATE PLAIN"
            ]
        )
        // base64("gptbot\0gptbot\0secret")
        #expect(
            self.sent(machine.receive(self.line("AUTHENTICATE +"), now: self.start)) == [
                "AUTHENTICATE Z3B0Ym90AGdwdGJvdABzZWNyZXQ="
            ]
        )
        let loggedIn = machine.receive(
            self.line(":irc.example 900 gptbot gptbot!bot@host gptbot :You are now logged in"),
            now: self.start
        )
        #expect(loggedIn == [.event(.authenticated(account: "gptbot"))])
        #expect(
            self.sent(
                machine.receive(self.line(":irc.example 903 gptbot :SASL authentication successful"), now: self.start)
            ) == ["CAP END"]
        )
        _ = machine.receive(self.line(":irc.example 001 gptbot :Welcome"), now: self.start)
        #expect(
            self.sent(machine.receive(self.line(":irc.example 376 gptbot :End"), now: self.start)) == [
                "JOIN #general", "JOIN #secret hunter2",
            ]
        )
    }

    @Test func failedSASLNeverJoinsAndClosesForAReconnect() {
        var machine = IRCClientStateMachine(
            configuration: self.configuration(sasl: .plain(username: "gptbot", password: "wrong"))
        )
        _ = machine.connected(now: self.start)
        _ = machine.receive(self.line(":irc.example CAP * LS :sasl"), now: self.start)
        _ = machine.receive(self.line(":irc.example CAP * ACK :sasl"), now: self.start)
        _ = machine.receive(self.line("AUTHENTICATE +"), now: self.start)
        let actions = machine.receive(self.line(":irc.example 904 gptbot :SASL authentication failed"), now: self.start)
        #expect(actions.contains(.close(.authenticationFailed("904 SASL authentication failed"))))
        #expect(self.sent(actions).isEmpty, "no CAP END, so registration never completes and nothing is joined")
        #expect(machine.receive(self.line(":irc.example 001 gptbot :Welcome"), now: self.start).isEmpty)
    }

    @Test func configuredSASLThatTheServerDoesNotOfferIsAFailure() {
        var machine = IRCClientStateMachine(configuration: self.configuration(sasl: .external))
        _ = machine.connected(now: self.start)
        let actions = machine.receive(self.line(":irc.example CAP * LS :message-tags sasl=PLAIN"), now: self.start)
        #expect(self.sent(actions) == ["CAP REQ :message-tags sasl"])
        let ack = machine.receive(self.line(":irc.example CAP * ACK :message-tags sasl"), now: self.start)
        #expect(ack.contains { if case .close(.authenticationFailed) = $0 { true } else { false } })
    }

    @Test func saslExternalSendsAnEmptyCredential() {
        var machine = IRCClientStateMachine(configuration: self.configuration(sasl: .external))
        _ = machine.connected(now: self.start)
        _ = machine.receive(self.line(":irc.example CAP * LS :sasl=EXTERNAL"), now: self.start)
        #expect(
            self.sent(machine.receive(self.line(":irc.example CAP * ACK :sasl"), now: self.start)) == [
                "AUTHENTICATE EXTERNAL"
            ]
        )
        #expect(self.sent(machine.receive(self.line("AUTHENTICATE +"), now: self.start)) == ["AUTHENTICATE +"])
    }

    @Test func takenNicksFallBackToAltNicksThenUnderscores() {
        var machine = IRCClientStateMachine(configuration: self.configuration())
        _ = machine.connected(now: self.start)
        #expect(
            self.sent(
                machine.receive(self.line(":irc.example 433 * gptbot :Nickname is already in use"), now: self.start)
            ) == ["NICK gptbot2"]
        )
        #expect(
            self.sent(
                machine.receive(self.line(":irc.example 433 * gptbot2 :Nickname is already in use"), now: self.start)
            ) == ["NICK gptbot_"]
        )
        #expect(
            self.sent(machine.receive(self.line(":irc.example 436 * gptbot_ :Nickname collision"), now: self.start))
                == ["NICK gptbot__"]
        )
        #expect(machine.nick == "gptbot__")
    }

    @Test func mainNickIsRegainedPeriodicallyAndWhenItsHolderLeaves() {
        var machine = IRCClientStateMachine(configuration: self.configuration())
        _ = machine.connected(now: self.start)
        _ = machine.receive(self.line(":irc.example 433 * gptbot :in use"), now: self.start)
        _ = machine.receive(self.line(":irc.example 001 gptbot2 :Welcome"), now: self.start)
        #expect(self.sent(machine.tick(now: self.start + .seconds(30))).filter { $0.hasPrefix("NICK") }.isEmpty)
        #expect(
            self.sent(machine.tick(now: self.start + .seconds(61))).filter { $0.hasPrefix("NICK") } == ["NICK gptbot"]
        )
        #expect(
            self.sent(machine.receive(self.line(":gptbot!x@y QUIT :bye"), now: self.start + .seconds(70))) == [
                "NICK gptbot"
            ]
        )
        let changed = machine.receive(self.line(":gptbot2!bot@host NICK gptbot"), now: self.start + .seconds(71))
        #expect(changed == [.event(.nickChanged(to: "gptbot"))])
        #expect(self.sent(machine.tick(now: self.start + .seconds(200))).filter { $0.hasPrefix("NICK") }.isEmpty)
    }

    /// Registered under its own nick, the bot is renamed by the server (a nick collision after a netsplit, services'
    /// SVSNICK or Guest rename). Nobody holds the nick afterwards, so no QUIT or NICK will ever free it: the timer
    /// must take it back, or people addressing the bot by name get no answer until it reconnects.
    @Test func mainNickIsRegainedAfterTheServerRenamedTheBot() {
        var machine = self.registered()
        let renamed = machine.receive(self.line(":gptbot!bot@host NICK :42XAAAAAB"), now: self.start + .seconds(10))
        #expect(renamed == [.event(.nickChanged(to: "42XAAAAAB"))])
        #expect(machine.nick == "42XAAAAAB")
        #expect(self.sent(machine.tick(now: self.start + .seconds(40))).filter { $0.hasPrefix("NICK") }.isEmpty)
        let retried = self.sent(machine.tick(now: self.start + .seconds(71))).filter { $0.hasPrefix("NICK") }
        #expect(retried == ["NICK gptbot"])
        _ = machine.receive(self.line(":42XAAAAAB!bot@host NICK :gptbot"), now: self.start + .seconds(72))
        #expect(machine.nick == "gptbot")
        #expect(self.sent(machine.tick(now: self.start + .seconds(300))).filter { $0.hasPrefix("NICK") }.isEmpty)
    }

    @Test func pingIsAnsweredAtOnceAndSilenceIsProbed() {
        var machine = self.registered()
        #expect(
            self.sent(machine.receive(self.line("PING :irc.example"), now: self.start + .seconds(1))) == [
                "PONG irc.example"
            ]
        )
        #expect(self.sent(machine.tick(now: self.start + .seconds(100))).isEmpty)
        #expect(self.sent(machine.tick(now: self.start + .seconds(122))) == ["PING goapi-bridge"])
        #expect(machine.tick(now: self.start + .seconds(150)).isEmpty, "waiting for the answer")
        #expect(machine.tick(now: self.start + .seconds(183)) == [.close(.pingTimeout)])
    }

    @Test func anyTrafficAnswersOurPing() {
        var machine = self.registered()
        _ = machine.tick(now: self.start + .seconds(121))
        _ = machine.receive(self.line(":irc.example PONG irc.example :goapi-bridge"), now: self.start + .seconds(125))
        #expect(machine.tick(now: self.start + .seconds(190)).isEmpty)
    }

    @Test(arguments: [("464", "Password incorrect"), ("465", "You are banned from this server (K-lined)")])
    func aWrongServerPasswordOrABanClosesSayingWhy(numeric: String, text: String) {
        var machine = IRCClientStateMachine(configuration: self.configuration(password: "wrong"))
        _ = machine.connected(now: self.start)
        let refused = machine.receive(self.line(":irc.example \(numeric) * :\(text)"), now: self.start)
        #expect(refused == [.close(.refused(code: numeric, reason: text))])
        #expect(IRCDisconnectReason.refused(code: numeric, reason: text).needsOperator)
        #expect(!IRCDisconnectReason.authenticationFailed("904").needsOperator, "services may just be restarting")
        #expect(machine.receive(self.line(":irc.example NOTICE * :more"), now: self.start).isEmpty, "closed")
    }

    @Test func registrationThatNeverFinishesTimesOut() {
        var machine = IRCClientStateMachine(configuration: self.configuration())
        _ = machine.connected(now: self.start)
        #expect(machine.tick(now: self.start + .seconds(61)) == [.close(.registrationTimeout)])
    }

    @Test func kickIsReportedAndRejoinedAfterTheDelay() {
        var machine = self.registered()
        #expect(machine.isFullyJoined)
        let kicked = machine.receive(self.line(":op!o@h KICK #general gptbot :behave"), now: self.start + .seconds(5))
        #expect(kicked == [.event(.kicked(channel: "#general", by: "op", reason: "behave", rejoinIn: .seconds(10)))])
        #expect(!machine.isFullyJoined)
        #expect(self.sent(machine.tick(now: self.start + .seconds(10))).isEmpty)
        #expect(self.sent(machine.tick(now: self.start + .seconds(16))) == ["JOIN #general"])
    }

    @Test(arguments: ["403", "405", "470", "471", "473", "474", "475", "476", "477", "479", "480", "489", "520"])
    func refusedJoinsAreReportedAndRetried(numeric: String) {
        var machine = IRCClientStateMachine(configuration: self.configuration(channels: [.init(name: "#closed")]))
        _ = machine.connected(now: self.start)
        _ = machine.receive(self.line(":irc.example 001 gptbot :Welcome"), now: self.start)
        #expect(
            self.sent(machine.receive(self.line(":irc.example 422 gptbot :No MOTD"), now: self.start)) == [
                "JOIN #closed"
            ]
        )
        let refused = machine.receive(
            self.line(":irc.example \(numeric) gptbot #closed :Cannot join channel"),
            now: self.start
        )
        #expect(
            refused == [
                .event(
                    .joinFailed(channel: "#closed", code: numeric, reason: "Cannot join channel", retryIn: .seconds(60))
                )
            ]
        )
        #expect(machine.unjoinedChannels == ["#closed": "\(numeric) Cannot join channel"])
        #expect(self.sent(machine.tick(now: self.start + .seconds(30))).isEmpty)
        #expect(self.sent(machine.tick(now: self.start + .seconds(61))) == ["JOIN #closed"])
    }

    @Test func botModeIsSetWhenTheServerOffersIt() {
        var machine = self.registered()
        #expect(
            self.sent(machine.receive(self.line(":irc.example 005 gptbot BOT=B :are supported"), now: self.start)) == [
                "MODE gptbot +B"
            ]
        )
        #expect(
            self.sent(machine.receive(self.line(":irc.example 005 gptbot BOT=B :are supported"), now: self.start))
                .isEmpty
        )
    }

    @Test func channelMessagesCarryOperatorStatusFromNamesAndModes() throws {
        var machine = self.registered()
        _ = machine.receive(self.line(":irc.example 353 gptbot = #general :@alice +bob carol"), now: self.start)
        func message(from nick: String) throws -> IRCIncomingMessage {
            let actions = machine.receive(
                self.line("@msgid=abc :\(nick)!u@h PRIVMSG #General :gptbot: hello"),
                now: self.start
            )
            guard case .event(.message(let message)) = try #require(actions.first) else {
                Issue.record("expected a message event, got \(actions)")
                return IRCIncomingMessage(nick: "", source: "", target: "", replyTarget: "", isPrivate: false, text: "")
            }
            return message
        }
        let fromAlice = try message(from: "alice")
        #expect(fromAlice.senderIsChannelOperator)
        #expect(fromAlice.replyTarget == "#General")
        #expect(fromAlice.messageID == "abc")
        #expect(fromAlice.source == "alice!u@h")
        #expect(try !message(from: "bob").senderIsChannelOperator)
        _ = machine.receive(self.line(":alice!u@h MODE #general +o-v+l bob bob 10"), now: self.start)
        #expect(try message(from: "bob").senderIsChannelOperator)
        _ = machine.receive(self.line(":alice!u@h MODE #general -o bob"), now: self.start)
        #expect(try !message(from: "bob").senderIsChannelOperator)
        _ = machine.receive(self.line(":carol!u@h NICK Dave"), now: self.start)
        _ = machine.receive(self.line(":alice!u@h MODE #general +o dave"), now: self.start)
        #expect(try message(from: "DAVE").senderIsChannelOperator, "nick changes and casemapping are followed")
    }

    @Test func privateMessagesAreAnsweredToTheSender() {
        var machine = self.registered()
        let actions = machine.receive(self.line(":alice!u@h PRIVMSG gptbot :what is IRC?"), now: self.start)
        #expect(
            actions == [
                .event(
                    .message(
                        IRCIncomingMessage(
                            nick: "alice",
                            source: "alice!u@h",
                            target: "gptbot",
                            replyTarget: "alice",
                            isPrivate: true,
                            text: "what is IRC?"
                        )
                    )
                )
            ]
        )
    }

    @Test func ownEchoedMessagesAndNoticesAreIgnored() {
        var machine = self.registered()
        #expect(machine.receive(self.line(":gptbot!bot@h PRIVMSG #general :my own reply"), now: self.start).isEmpty)
        #expect(machine.receive(self.line(":alice!u@h NOTICE gptbot :hi"), now: self.start).isEmpty)
    }

    @Test func ctcpVersionAndPingAreAnsweredOthersIgnored() {
        var machine = self.registered()
        #expect(
            machine.receive(self.line(":alice!u@h PRIVMSG gptbot :\u{01}VERSION\u{01}"), now: self.start) == [
                .sendThrottled(
                    IRCMessage(command: "NOTICE", parameters: ["alice", "\u{01}VERSION goapi-bridge\u{01}"]),
                    target: "alice"
                )
            ]
        )
        #expect(
            machine.receive(self.line(":alice!u@h PRIVMSG gptbot :\u{01}PING 12345\u{01}"), now: self.start) == [
                .sendThrottled(
                    IRCMessage(command: "NOTICE", parameters: ["alice", "\u{01}PING 12345\u{01}"]),
                    target: "alice"
                )
            ]
        )
        #expect(
            machine.receive(self.line(":alice!u@h PRIVMSG #general :\u{01}ACTION waves\u{01}"), now: self.start).isEmpty
        )
        #expect(
            machine.receive(self.line(":alice!u@h PRIVMSG gptbot :\u{01}DCC SEND x\u{01}"), now: self.start).isEmpty
        )
    }

    @Test func serverErrorClosesAndShutdownQuits() {
        var machine = self.registered()
        #expect(machine.shutdown() == [.send(IRCMessage(command: "QUIT", parameters: ["goapi-bridge shutting down"]))])
        var other = self.registered()
        #expect(
            other.receive(self.line("ERROR :Closing link"), now: self.start) == [.close(.serverError("Closing link"))]
        )
    }

    @Test func reconnectingStartsFresh() {
        var machine = self.registered()
        machine.disconnected()
        #expect(!machine.isRegistered)
        #expect(machine.joinedChannels.isEmpty)
        #expect(self.sent(machine.connected(now: self.start + .seconds(10))).first == "CAP LS 302")
    }
}
