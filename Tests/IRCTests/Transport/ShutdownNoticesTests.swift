import IRC
import Testing

@Suite struct ShutdownNoticesTests {
    private static func notice(to target: String, for nick: String) -> IRCMessage {
        IRCMessage(command: "PRIVMSG", parameters: [target, "\(nick): ask again"])
    }

    @Test func heldLinesComeOldestFirstAndWithdrawnOnesNever() {
        var notices = ShutdownNotices()
        let alice = notices.hold(Self.notice(to: "#a", for: "alice"))
        let bob = notices.hold(Self.notice(to: "#a", for: "bob"))
        _ = notices.hold(Self.notice(to: "carol", for: "carol"))
        notices.withdraw(bob)
        notices.withdraw(bob)
        let held = notices.messages(limit: 4)
        #expect(held.messages == [Self.notice(to: "#a", for: "alice"), Self.notice(to: "carol", for: "carol")])
        #expect(held.leftOut == 0)
        notices.withdraw(alice)
        #expect(notices.messages(limit: 4).messages == [Self.notice(to: "carol", for: "carol")])
    }

    @Test func oneLinePerPersonAndPlaceAndNoMoreThanTheLimit() {
        var notices = ShutdownNotices()
        for nick in ["alice", "alice", "bob", "carol", "dave", "erin"] {
            _ = notices.hold(Self.notice(to: "#a", for: nick))
        }
        let (messages, leftOut) = notices.messages(limit: 3)
        #expect(messages == ["alice", "bob", "carol"].map { Self.notice(to: "#a", for: $0) })
        #expect(leftOut == 2, "dave and erin")
        let none = notices.messages(limit: 0)
        #expect(none.messages.isEmpty && none.leftOut == 5)
    }

    @Test func noticesTheServerWouldRefuseAreLeftOutAndTakeNoPlace() {
        var notices = ShutdownNotices()
        for (channel, nick) in [("#kicked", "alice"), ("#kicked", "bob"), ("#a", "carol"), ("#a", "dave")] {
            _ = notices.hold(Self.notice(to: channel, for: nick))
        }
        let (messages, leftOut) = notices.messages(limit: 2) { $0.parameters.first == "#kicked" }
        #expect(
            messages == ["carol", "dave"].map { Self.notice(to: "#a", for: $0) },
            "the oldest two would be refused"
        )
        #expect(leftOut == 2)
    }

    @Test func theSessionTellsWhichChannelsTheBotIsOutOf() {
        var machine = IRCClientStateMachineTests().registered()
        #expect(!machine.isAwaitingJoin("#General"))
        _ = machine.receive(
            IRCClientStateMachineTests().line(":op!o@h KICK #general gptbot :later"),
            now: ContinuousClock.now
        )
        #expect(machine.isAwaitingJoin("#General"), "any case")
        #expect(!machine.isAwaitingJoin("alice"), "a person is never held")
        #expect(!machine.isAwaitingJoin("#elsewhere"), "only configured channels")
    }
}
