/// Stops sending questions to the Conversation API after `threshold` consecutive failures, and lets one question
/// probe it again once `coolDown` has passed: if the probe succeeds the breaker closes, if it fails it opens for
/// another cool-down. Pure: time is an argument, so every transition is tested with a manual clock.
package struct CircuitBreaker<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// Where the breaker stands.
    package enum State: Sendable, Hashable {
        /// Questions go to the Conversation API; `failures` in a row so far.
        case closed(failures: Int)
        /// Questions go to the backup until `until`.
        case open(until: Instant)
        /// One probe is on its way to the Conversation API; other questions go to the backup meanwhile.
        case halfOpen
    }

    /// Consecutive failures that open the breaker.
    package let threshold: Int
    /// How long the breaker stays open before a probe.
    package let coolDown: Duration
    /// The current state.
    package private(set) var state: State = .closed(failures: 0)

    /// Creates a closed breaker.
    package init(threshold: Int, coolDown: Duration) {
        self.threshold = max(threshold, 1)
        self.coolDown = coolDown
    }

    /// Whether the next question may go to the Conversation API; a true answer in the open state after the
    /// cool-down makes that question the probe.
    package mutating func allowsPrimary(now: Instant) -> Bool {
        switch self.state {
        case .closed:
            return true
        case .open(let until) where now >= until:
            self.state = .halfOpen
            return true
        case .open, .halfOpen:
            return false
        }
    }

    /// The Conversation API answered.
    package mutating func recordSuccess() {
        self.state = .closed(failures: 0)
    }

    /// The Conversation API failed in a way the backup can cover.
    package mutating func recordFailure(now: Instant) {
        switch self.state {
        case .closed(let failures) where failures + 1 < self.threshold:
            self.state = .closed(failures: failures + 1)
        case .closed, .halfOpen, .open:
            self.state = .open(until: now.advanced(by: self.coolDown))
        }
    }

    /// A question that was allowed through ended without telling anything about the API's health (e.g. the
    /// bridge is shutting down): a probe in flight is given back so the next question probes.
    package mutating func recordInconclusive(now: Instant) {
        if case .halfOpen = self.state { self.state = .open(until: now) }
    }

    /// The state as the `goapi_circuit_state` gauge reports it: 0 closed, 1 half-open, 2 open.
    package var gaugeValue: Int {
        switch self.state {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }
}
