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

    @Test func theBudgetFollowsARename() {
        var limiter = UserRateLimiter(questions: 1, period: .seconds(60))
        let now = ContinuousClock.now
        let first = limiter.allow("alice", now: now)
        limiter.renamed(from: "alice", to: "alice_", now: now)
        let renamed = limiter.allow("alice_", now: now)
        let oldNick = limiter.allow("alice", now: now)
        // The new nick has the spent budget; the old one, free for someone else, a full one.
        #expect([first, renamed, oldNick] == [true, false, true])
    }

    @Test func renamingOntoASpentBudgetKeepsTheLowerOne() {
        var limiter = UserRateLimiter(questions: 1, period: .seconds(60))
        let now = ContinuousClock.now
        let bob = limiter.allow("bob", now: now)
        _ = limiter.allow("carol", now: now - .seconds(3600))  // long refilled
        limiter.renamed(from: "carol", to: "bob", now: now)
        let again = limiter.allow("bob", now: now)
        #expect([bob, again] == [true, false])
    }
}
