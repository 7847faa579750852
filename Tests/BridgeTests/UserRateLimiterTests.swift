import Bridge
import Testing

@Suite struct UserRateLimiterTests {
    @Test func burstThenRefillPerPerson() {
        var limiter = UserRateLimiter(questions: 2, period: .seconds(60))
        let start = ContinuousClock.now
        let decisions = [
            limiter.allow("alice", now: start),
            limiter.allow("alice", now: start),
            limiter.allow("alice", now: start + .seconds(1)),
            limiter.allow("bob", now: start + .seconds(1)),
            limiter.allow("alice", now: start + .seconds(31)),
            limiter.allow("alice", now: start + .seconds(32)),
        ]
        // Two at once, then refused; bob has his own budget; one question refills every 30 s.
        #expect(decisions == [true, true, false, true, true, false])
    }
}
