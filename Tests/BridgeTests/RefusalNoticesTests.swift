import Bridge
import Testing

@Suite struct RefusalNoticesTests {
    @Test func onePersonIsToldOncePerQuietPeriod() {
        var notices = RefusalNotices(quietPeriod: .seconds(30))
        let start = ContinuousClock.now
        let decisions = [
            notices.shouldTell("alice", now: start),
            notices.shouldTell("alice", now: start + .seconds(1)),
            notices.shouldTell("bob", now: start + .seconds(2)),
            notices.shouldTell("alice", now: start + .seconds(29)),
            notices.shouldTell("alice", now: start + .seconds(30)),
        ]
        // Bob is told although Alice was just told; Alice again once 30 s have passed since her notice.
        #expect(decisions == [true, false, true, false, true])
    }

    @Test func aNickChangeDoesNotBuyAnotherNotice() {
        var notices = RefusalNotices(quietPeriod: .seconds(30))
        let now = ContinuousClock.now
        let first = notices.shouldTell("alice", now: now)
        notices.renamed(from: "alice", to: "alice_")
        let renamed = notices.shouldTell("alice_", now: now + .seconds(1))
        let oldNick = notices.shouldTell("alice", now: now + .seconds(1))
        #expect([first, renamed, oldNick] == [true, false, true])
    }

    @Test func pruningTheRecordKeepsEveryoneStillInTheirQuietPeriod() {
        var notices = RefusalNotices(quietPeriod: .seconds(30))
        let start = ContinuousClock.now
        for index in 0..<1_000 { _ = notices.shouldTell("old\(index)", now: start) }
        for index in 0..<600 { _ = notices.shouldTell("new\(index)", now: start + .seconds(31)) }
        let decisions = [
            notices.shouldTell("new0", now: start + .seconds(32)),
            notices.shouldTell("new599", now: start + .seconds(32)),
            notices.shouldTell("old0", now: start + .seconds(32)),
        ]
        // The record was pruned past 1,000 people: those whose quiet period ended go, the recent ones stay.
        #expect(decisions == [false, false, true])
    }
}
