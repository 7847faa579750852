import GoAPI
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 5, initialBackoff: .seconds(1), maxBackoff: .seconds(8))

    @Test func delayDoublesWithEachAttemptWithinItsJitterBand() {
        #expect(self.policy.delay(afterAttempt: 1, unit: 0) == .milliseconds(500))
        #expect(self.policy.delay(afterAttempt: 1, unit: 1) == .seconds(1))
        #expect(self.policy.delay(afterAttempt: 2, unit: 0) == .seconds(1))
        #expect(self.policy.delay(afterAttempt: 3, unit: 1) == .seconds(4))
    }

    @Test func delayNeverPassesTheCap() {
        #expect(self.policy.delay(afterAttempt: 10, unit: 1) == .seconds(8))
        #expect(self.policy.delay(afterAttempt: 1000, unit: 1) == .seconds(8))
    }

    @Test func serverRequestedDelayIsCapped() {
        #expect(self.policy.delay(retryAfter: 2) == .seconds(2))
        #expect(self.policy.delay(retryAfter: 3600) == .seconds(8))
        #expect(self.policy.delay(retryAfter: -5) == .zero)
    }

    @Test(arguments: [1e17, 1e16, Double.greatestFiniteMagnitude, Double.infinity])
    func aHugeRequestedDelayIsCappedInsteadOfTrapping(seconds: Double) {
        #expect(self.policy.delay(retryAfter: seconds) == .seconds(8))
    }

    @Test func aRequestedDelayPastTheCapIsNotWaitedFor() {
        #expect(self.policy.waits(retryAfter: 8))
        #expect(self.policy.waits(retryAfter: 0))
        #expect(!self.policy.waits(retryAfter: 8.5))
        #expect(!self.policy.waits(retryAfter: 1e17))
    }

    @Test func aNaNRequestedDelayIsNoWait() {
        #expect(self.policy.delay(retryAfter: .nan) == .zero)
    }
}
