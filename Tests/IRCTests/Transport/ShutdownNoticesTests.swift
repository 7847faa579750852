import Testing

@testable import IRC

@Suite struct ShutdownNoticesTests {
    @Test func heldLinesComeOldestFirstAndWithdrawnOnesNever() {
        var notices = ShutdownNotices()
        let alice = notices.hold("PRIVMSG #a :alice: ask again\r\n")
        let bob = notices.hold("PRIVMSG #a :bob: ask again\r\n")
        _ = notices.hold("PRIVMSG carol :carol: ask again\r\n")
        notices.withdraw(bob)
        notices.withdraw(bob)
        #expect(notices.count == 2)
        #expect(
            notices.lines(limit: 4).lines == [
                "PRIVMSG #a :alice: ask again\r\n", "PRIVMSG carol :carol: ask again\r\n",
            ]
        )
        notices.withdraw(alice)
        #expect(notices.lines(limit: 4).lines == ["PRIVMSG carol :carol: ask again\r\n"])
    }

    @Test func oneLinePerPersonAndPlaceAndNoMoreThanTheLimit() {
        var notices = ShutdownNotices()
        for nick in ["alice", "alice", "bob", "carol", "dave", "erin"] {
            _ = notices.hold("PRIVMSG #a :\(nick): ask again\r\n")
        }
        let (lines, leftOut) = notices.lines(limit: 3)
        #expect(lines == ["alice", "bob", "carol"].map { "PRIVMSG #a :\($0): ask again\r\n" })
        #expect(leftOut == 2, "dave and erin")
        let none = notices.lines(limit: 0)
        #expect(none.lines.isEmpty && none.leftOut == 5)
    }
}
