import GoAPI
import Testing

@Suite struct BaseURLSelectorTests {
    static let start = ContinuousClock.now

    @Test func aConnectFailureMovesOnAndTheChoiceHoldsForAWhile() {
        var selector = BaseURLSelector<ContinuousClock.Instant>(
            baseURLs: ["https://a", "https://b", "https://c"],
            stickiness: .seconds(600)
        )
        #expect(selector.currentIndex(now: Self.start) == 0)
        selector.failed(index: 0, now: Self.start)
        #expect(selector.currentIndex(now: Self.start + .seconds(599)) == 1)
        // A late report about the domain already left behind changes nothing.
        selector.failed(index: 0, now: Self.start + .seconds(1))
        #expect(selector.currentIndex(now: Self.start + .seconds(2)) == 1)
        selector.failed(index: 1, now: Self.start + .seconds(2))
        #expect(selector.currentIndex(now: Self.start + .seconds(3)) == 2)
        // After the stickiness the preferred domain is tried again.
        #expect(selector.currentIndex(now: Self.start + .seconds(603)) == 0)
    }

    @Test func aSingleDomainNeverMoves() {
        var selector = BaseURLSelector<ContinuousClock.Instant>(baseURLs: ["https://a"])
        selector.failed(index: 0, now: Self.start)
        #expect(selector.currentIndex(now: Self.start) == 0)
    }
}
