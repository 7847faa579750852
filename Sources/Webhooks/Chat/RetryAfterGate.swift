import Synchronization

/// A chat API's `Retry-After`, held for every message to it rather than only the one that was told. Slack rate
/// limits a method per workspace: after a 429, the other threads' replies sent within the window were each
/// refused in turn, spending requests Slack had asked not to get.
final class RetryAfterGate: Sendable {
    private let openAt = Mutex<ContinuousClock.Instant?>(nil)

    /// Keeps the gate closed for `seconds` from now (never shortening a longer wait already set).
    func close(for seconds: Double) {
        guard seconds > 0 else { return }
        let until = ContinuousClock.now + .seconds(seconds)
        self.openAt.withLock { openAt in
            if openAt.map({ $0 < until }) ?? true { openAt = until }
        }
    }

    /// The seconds left before the gate opens, or nil when it is open.
    func remainingSeconds() -> Double? {
        self.openAt.withLock { openAt in
            guard let until = openAt else { return nil }
            let left = until - ContinuousClock.now
            guard left > .zero else {
                openAt = nil
                return nil
            }
            return left / .seconds(1)
        }
    }
}
