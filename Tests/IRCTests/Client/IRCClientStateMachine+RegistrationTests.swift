import IRC
import Testing

extension IRCClientStateMachineTests {
    @Test func configuredSASLOnAServerWithoutCAPNeverJoins() {
        var machine = IRCClientStateMachine(
            configuration: self.configuration(sasl: .plain(username: "gptbot", password: "secret"))
        )
        _ = machine.connected(now: self.start)
        #expect(machine.receive(self.line(":irc.example 421 gptbot CAP :Unknown command"), now: self.start).isEmpty)
        let welcome = machine.receive(self.line(":irc.example 001 gptbot :Welcome"), now: self.start)
        let reason = "the server registered the connection without offering SASL (no CAP support?)"
        #expect(welcome == [.event(.authenticationFailed(reason: reason)), .close(.authenticationFailed(reason))])
        #expect(!machine.isRegistered)
        #expect(self.sent(machine.receive(self.line(":irc.example 376 gptbot :End of MOTD"), now: self.start)).isEmpty)
        #expect(self.sent(machine.tick(now: self.start + .seconds(5))).isEmpty, "no JOIN later either")
        #expect(machine.joinedChannels.isEmpty)
    }

    @Test func aWelcomeInTheMiddleOfSASLIsAFailureToo() {
        var machine = IRCClientStateMachine(
            configuration: self.configuration(sasl: .plain(username: "gptbot", password: "secret"))
        )
        _ = machine.connected(now: self.start)
        _ = machine.receive(self.line(":irc.example CAP * LS :sasl"), now: self.start)
        _ = machine.receive(self.line(":irc.example CAP * ACK :sasl"), now: self.start)
        let welcome = machine.receive(self.line(":irc.example 001 gptbot :Welcome"), now: self.start)
        #expect(
            welcome.contains(.close(.authenticationFailed("the server registered the connection before SASL finished")))
        )
        #expect(self.sent(machine.receive(self.line(":irc.example 376 gptbot :End of MOTD"), now: self.start)).isEmpty)
    }

    @Test func withoutSASLAServerWithoutCAPIsFine() {
        var machine = IRCClientStateMachine(configuration: self.configuration())
        _ = machine.connected(now: self.start)
        _ = machine.receive(self.line(":irc.example 421 gptbot CAP :Unknown command"), now: self.start)
        #expect(
            machine.receive(self.line(":irc.example 001 gptbot :Welcome"), now: self.start) == [
                .event(.registered(nick: "gptbot"))
            ]
        )
        #expect(
            self.sent(machine.receive(self.line(":irc.example 376 gptbot :End of MOTD"), now: self.start)) == [
                "JOIN #general", "JOIN #secret hunter2",
            ]
        )
    }
}
