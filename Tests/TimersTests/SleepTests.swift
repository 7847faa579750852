import Testing
import Timers

@Suite struct SleepTests {
    @Test func sleepsUntilTheTimerFires() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        try await sleep(for: .milliseconds(50))
        #expect(clock.now - started >= .milliseconds(50))
    }

    @Test func aDeadlineInThePastReturnsAtOnce() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        try await sleep(until: started - .seconds(1))
        #expect(clock.now - started < .seconds(60))
    }

    @Test func cancellingEndsAFiveMinuteSleepAtOnce() async throws {
        let sleeper = Task { try await sleep(for: .seconds(300)) }
        try await Task.sleep(for: .milliseconds(20))
        sleeper.cancel()
        // Awaiting the value returns only once the sleep has ended: long before its five minutes.
        await #expect(throws: CancellationError.self) { try await sleeper.value }
    }

    @Test func anAlreadyCancelledTaskDoesNotSleep() async throws {
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await sleep(until: ContinuousClock.now + .seconds(300))
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
    }
}
