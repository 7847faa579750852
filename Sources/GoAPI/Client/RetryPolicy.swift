/// How often and how patiently a failed GoAPI request is retried.
///
/// Backoff is exponential with "equal jitter": half the delay is fixed and half random, so many bridges hitting the
/// same outage spread out without any of them retrying at once.
package struct RetryPolicy: Sendable, Hashable {
    /// Total attempts, the first included.
    package var maxAttempts: Int
    /// Delay ceiling before the second attempt; it doubles with each later one.
    package var initialBackoff: Duration
    /// Upper bound for any single delay, including a server's `Retry-After`.
    package var maxBackoff: Duration

    /// Creates a policy; the defaults suit an interactive chat question.
    package init(
        maxAttempts: Int = 3,
        initialBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(8)
    ) {
        precondition(maxAttempts >= 1, "maxAttempts must be at least 1")
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// The wait after failed attempt number `attempt` (1-based), given a random `unit` in 0...1.
    package func delay(afterAttempt attempt: Int, unit: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(self.initialBackoff * (1 << exponent), self.maxBackoff)
        return ceiling / 2 + (ceiling / 2) * min(max(unit, 0), 1)
    }

    /// Whether a server's `Retry-After` is a wait this policy takes: at most ``maxBackoff``. A longer one is not cut
    /// short (a request sent sooner than the server asked is refused again, and counts against the limit); the
    /// question fails at once instead, so the backup model, if any, answers now rather than after the retries.
    package func waits(retryAfter seconds: Double) -> Bool {
        seconds.isNaN || seconds <= self.maxBackoff / .seconds(1)
    }

    /// The wait a server asked for, capped by ``maxBackoff``. The cap applies before the conversion to whole
    /// milliseconds: a proxy's `Retry-After: 99999999999999999` would not fit in them, and that must not stop the
    /// process. NaN counts as no wait.
    package func delay(retryAfter seconds: Double) -> Duration {
        let cap = self.maxBackoff / .milliseconds(1)
        guard seconds > 0 else { return .zero }
        return .milliseconds(Int64(min(seconds * 1000, cap)))
    }
}
