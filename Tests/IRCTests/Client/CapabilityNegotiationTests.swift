import Testing

@testable import IRC

/// Capability lists are server input: whatever the server lists, the bot keeps registering instead of crashing.
@Suite struct CapabilityNegotiationTests {
    let start = ContinuousClock.now

    func receive(_ machine: inout IRCClientStateMachine, _ line: String) throws -> [String] {
        try machine.receive(IRCMessage(parsing: line), now: self.start).compactMap {
            if case .send(let message) = $0 { return message.serialized }
            return nil
        }
    }

    func connected(sasl: IRCClientConfiguration.SASL? = nil) -> IRCClientStateMachine {
        var machine = IRCClientStateMachine(
            configuration: IRCClientConfiguration(
                name: "test",
                host: "irc.example",
                port: 6697,
                nick: "gptbot",
                sasl: sasl
            )
        )
        _ = machine.connected(now: self.start)
        return machine
    }

    @Test(arguments: [
        ":irc.example CAP * LS :=",
        ":irc.example CAP * LS :=value",
        ":irc.example CAP * LS :== = -",
    ])
    func nameslessEntriesInTheListingAreSkipped(line: String) throws {
        var machine = self.connected()
        #expect(try self.receive(&machine, line) == ["CAP END"], "nothing worth asking for, so registration goes on")
        _ = try self.receive(&machine, ":irc.example 001 gptbot :Welcome")
        #expect(machine.isRegistered)
    }

    @Test func nameslessEntriesDoNotHideTheRealOnes() throws {
        var machine = self.connected()
        #expect(try self.receive(&machine, ":irc.example CAP * LS * :=PLAIN message-tags =") == [])
        #expect(
            try self.receive(&machine, ":irc.example CAP * LS := server-time=x =") == [
                "CAP REQ :message-tags server-time"
            ]
        )
        #expect(try self.receive(&machine, ":irc.example CAP * ACK := message-tags - server-time =x") == ["CAP END"])
        #expect(machine.enabledCapabilities == ["message-tags", "server-time"])
    }

    @Test func anAckWithOnlyNamelessEntriesLeavesTheRequestOpen() throws {
        var machine = self.connected()
        _ = try self.receive(&machine, ":irc.example CAP * LS :message-tags")
        #expect(try self.receive(&machine, ":irc.example CAP * ACK :=").isEmpty, "message-tags is still unanswered")
        #expect(try self.receive(&machine, ":irc.example CAP * ACK :-").isEmpty)
        #expect(try self.receive(&machine, ":irc.example CAP * ACK :message-tags") == ["CAP END"])
        #expect(machine.enabledCapabilities == ["message-tags"])
    }

    @Test func anAckCarryingAValueEnablesTheCapabilityByName() throws {
        var machine = self.connected()
        _ = try self.receive(&machine, ":irc.example CAP * LS :message-tags")
        #expect(try self.receive(&machine, ":irc.example CAP * ACK :message-tags=1") == ["CAP END"])
        #expect(machine.enabledCapabilities == ["message-tags"])
    }

    @Test(arguments: [
        ":irc.example CAP gptbot NEW :=",
        ":irc.example CAP gptbot NEW :=value",
        ":irc.example CAP gptbot DEL :=",
        ":irc.example CAP gptbot DEL :=value",
        ":irc.example CAP gptbot ACK :=",
        ":irc.example CAP gptbot NAK :=",
    ])
    func nameslessEntriesAfterRegistrationChangeNothing(line: String) throws {
        var machine = self.connected()
        _ = try self.receive(&machine, ":irc.example CAP * LS :message-tags")
        _ = try self.receive(&machine, ":irc.example CAP * ACK :message-tags")
        _ = try self.receive(&machine, ":irc.example 001 gptbot :Welcome")
        #expect(try self.receive(&machine, line).isEmpty)
        #expect(machine.enabledCapabilities == ["message-tags"])
        #expect(machine.isRegistered)
    }

    @Test func aNewListingWithANamelessEntryStillRequestsWhatIsWanted() throws {
        var machine = self.connected()
        _ = try self.receive(&machine, ":irc.example CAP * LS :message-tags")
        _ = try self.receive(&machine, ":irc.example CAP * ACK :message-tags")
        _ = try self.receive(&machine, ":irc.example 001 gptbot :Welcome")
        #expect(try self.receive(&machine, ":irc.example CAP gptbot NEW :=x server-time =") == ["CAP REQ server-time"])
    }

    @Test func endlessListingsAreCappedWithoutHidingWhatTheBotAsksFor() throws {
        var machine = self.connected(sasl: .plain(username: "gptbot", password: "secret"))
        for line in 0..<500 {
            let caps = (0..<20).map { "vendor.example/cap-\(line)-\($0)" }.joined(separator: " ")
            #expect(try self.receive(&machine, ":irc.example CAP * LS * :\(caps)").isEmpty)
        }
        let request = try self.receive(&machine, ":irc.example CAP * LS :message-tags sasl=PLAIN")
        #expect(request == ["CAP REQ :message-tags sasl"], "offers past the cap still count when the bot wants them")
        #expect(machine.capabilities.offered.count == CapabilityNegotiation.maximumOffered + 2)
    }

    @Test func endlessNewOffersAndAcknowledgementsAreCapped() throws {
        var machine = self.connected()
        _ = try self.receive(&machine, ":irc.example CAP * LS :message-tags cap-notify")
        _ = try self.receive(&machine, ":irc.example CAP * ACK :message-tags cap-notify")
        _ = try self.receive(&machine, ":irc.example 001 gptbot :Welcome")
        for line in 0..<500 {
            let caps = (0..<20).map { "vendor.example/cap-\(line)-\($0)" }.joined(separator: " ")
            #expect(try self.receive(&machine, ":irc.example CAP gptbot NEW :\(caps)").isEmpty)
            #expect(try self.receive(&machine, ":irc.example CAP gptbot ACK :\(caps)").isEmpty)
        }
        #expect(machine.capabilities.offered.count == CapabilityNegotiation.maximumOffered)
        #expect(machine.enabledCapabilities == ["message-tags", "cap-notify"], "never asked for, never enabled")
        #expect(
            try self.receive(&machine, ":irc.example CAP gptbot NEW :server-time") == ["CAP REQ server-time"],
            "a wanted capability offered after the flood is still asked for"
        )
        #expect(machine.isRegistered)
    }

    @Test func aNamelessEntryDoesNotCountAsSASL() throws {
        var machine = self.connected(sasl: .plain(username: "gptbot", password: "secret"))
        let request = try self.receive(&machine, ":irc.example CAP * LS :=sasl message-tags")
        #expect(request == ["CAP REQ message-tags"], "sasl is not offered, so it is not asked for")
    }
}
