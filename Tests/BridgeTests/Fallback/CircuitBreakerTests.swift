import Bridge
import Testing

/// A manual clock's instants: whole seconds.
struct ManualInstant: InstantProtocol {
    var seconds: Int64

    func advanced(by duration: Duration) -> ManualInstant {
        ManualInstant(seconds: self.seconds + duration.components.seconds)
    }

    func duration(to other: ManualInstant) -> Duration {
        .seconds(other.seconds - self.seconds)
    }

    static func < (lhs: ManualInstant, rhs: ManualInstant) -> Bool { lhs.seconds < rhs.seconds }
}

@Suite struct CircuitBreakerTests {
    static func at(_ seconds: Int64) -> ManualInstant { ManualInstant(seconds: seconds) }

    @Test func opensAfterThresholdConsecutiveFailuresOnly() {
        var breaker = CircuitBreaker<ManualInstant>(threshold: 3, coolDown: .seconds(60))
        breaker.recordFailure(now: Self.at(0))
        breaker.recordFailure(now: Self.at(1))
        breaker.recordSuccess()
        breaker.recordFailure(now: Self.at(2))
        breaker.recordFailure(now: Self.at(3))
        let allowedAt4 = breaker.allowsPrimary(now: Self.at(4))
        #expect(allowedAt4)
        breaker.recordFailure(now: Self.at(4))
        #expect(breaker.state == .open(until: Self.at(64)))
        #expect(breaker.gaugeValue == 2)
        let refusedAt63 = breaker.allowsPrimary(now: Self.at(63))
        #expect(!refusedAt63)
    }

    @Test func afterTheCoolDownOneProbeGoesThroughAndItsResultDecides() {
        var breaker = CircuitBreaker<ManualInstant>(threshold: 1, coolDown: .seconds(60))
        breaker.recordFailure(now: Self.at(0))
        let allowedAt60 = breaker.allowsPrimary(now: Self.at(60))
        #expect(allowedAt60)
        #expect(breaker.state == .halfOpen)
        // Only one probe at a time.
        let refusedAt61 = breaker.allowsPrimary(now: Self.at(61))
        #expect(!refusedAt61)
        breaker.recordFailure(now: Self.at(62))
        #expect(breaker.state == .open(until: Self.at(122)))
        let allowedAt122 = breaker.allowsPrimary(now: Self.at(122))
        #expect(allowedAt122)
        breaker.recordSuccess()
        #expect(breaker.state == .closed(failures: 0))
        let allowedAt123 = breaker.allowsPrimary(now: Self.at(123))
        #expect(allowedAt123)
    }

    @Test func anInconclusiveProbeLetsTheNextQuestionProbe() {
        var breaker = CircuitBreaker<ManualInstant>(threshold: 1, coolDown: .seconds(60))
        breaker.recordFailure(now: Self.at(0))
        let allowedAt70 = breaker.allowsPrimary(now: Self.at(70))
        #expect(allowedAt70)
        breaker.recordInconclusive(now: Self.at(71))
        let allowedAt71 = breaker.allowsPrimary(now: Self.at(71))
        #expect(allowedAt71)
        #expect(breaker.gaugeValue == 1)
    }
}
