import IRC
import Testing

@Suite struct ReconnectBackoffTests {
    @Test func delaysDoubleFromOneSecondUpToFiveMinutes() {
        var backoff = ReconnectBackoff()
        let ceilings = (0..<12).map { _ in backoff.nextDelay(afterUptime: .zero, unit: 1) }
        #expect(ceilings.prefix(4) == [.seconds(1), .seconds(2), .seconds(4), .seconds(8)])
        #expect(ceilings.last == .seconds(300))
    }

    @Test func jitterKeepsAtLeastHalfTheDelay() {
        var backoff = ReconnectBackoff()
        _ = backoff.nextDelay(afterUptime: .zero, unit: 0)
        #expect(backoff.nextDelay(afterUptime: .zero, unit: 0) == .seconds(1))
    }

    @Test func aStableMinuteResetsTheBackoff() {
        var backoff = ReconnectBackoff()
        for _ in 0..<6 { _ = backoff.nextDelay(afterUptime: .seconds(5), unit: 1) }
        #expect(backoff.nextDelay(afterUptime: .seconds(61), unit: 1) == .seconds(1))
    }

    @Test func aRefusalWaitsTheLongestAtOnceAndAStableConnectionStillResets() {
        var backoff = ReconnectBackoff()
        #expect(backoff.nextDelayAfterRefusal(unit: 1) == .seconds(300), "not 1 s, 2 s, 4 s … against a ban")
        #expect(backoff.nextDelayAfterRefusal(unit: 0) == .seconds(150))
        #expect(backoff.nextDelay(afterUptime: .seconds(61), unit: 1) == .seconds(1))
    }

    /// A failed SASL login (a wrong password, or services down) is retried after half a minute at the soonest, then
    /// less often: networks count failed logins. A stable connection still resets the backoff.
    @Test func aFailedLoginWaitsHalfAMinuteAtLeastThenBacksOff() {
        var backoff = ReconnectBackoff()
        #expect(backoff.nextDelay(afterUptime: .zero, unit: 1) == .seconds(1))
        #expect(backoff.nextDelayAfterFailedLogin(unit: 0) == .seconds(32))
        #expect(backoff.nextDelayAfterFailedLogin(unit: 1) == .seconds(128))
        #expect(backoff.nextDelay(afterUptime: .minutes(2), unit: 1) == .seconds(1))
    }
}
