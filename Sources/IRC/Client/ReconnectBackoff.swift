/// Exponential reconnect backoff with jitter: 1 s doubling up to 5 minutes, reset once a connection has stayed
/// up for a minute, so a flapping network is not hammered and a stable one reconnects quickly.
package struct ReconnectBackoff: Sendable, Hashable {
    /// The first delay.
    package var initial: Duration
    /// The largest delay.
    package var maximum: Duration
    /// A connection that lasted this long resets the backoff.
    package var stableAfter: Duration
    private var failures = 0

    /// Creates a backoff with the documented defaults.
    package init(initial: Duration = .seconds(1), maximum: Duration = .minutes(5), stableAfter: Duration = .minutes(1))
    {
        self.initial = initial
        self.maximum = maximum
        self.stableAfter = stableAfter
    }

    /// Records a connection the server refused in a way only the operator can fix (see
    /// ``IRCDisconnectReason/needsOperator``) and returns the wait: the longest, with jitter, at once.
    package mutating func nextDelayAfterRefusal(unit: Double) -> Duration {
        self.failures = max(self.failures, 20)
        return self.nextDelay(afterUptime: .zero, unit: unit)
    }

    /// Records a failed SASL login and returns the wait: at least half a minute. Services restarting are ridden
    /// out that way, while a wrong password is not retried every few seconds: networks count failed logins, and
    /// some lock the account or ban the host after a burst of them.
    package mutating func nextDelayAfterFailedLogin(unit: Double) -> Duration {
        self.failures = max(self.failures, Self.failedLoginExponent)
        return self.nextDelay(afterUptime: .zero, unit: unit)
    }

    /// `initial` doubled this often is the first wait after a failed login: 64 s by default, so 32–64 s with jitter.
    static let failedLoginExponent = 6

    /// Records the end of a connection that stayed registered for `uptime` (zero if it never registered) and returns
    /// the wait before the next attempt; `unit` is a random value in 0...1 for the jitter.
    package mutating func nextDelay(afterUptime uptime: Duration, unit: Double) -> Duration {
        if uptime >= self.stableAfter {
            self.failures = 0
        }
        let exponent = min(self.failures, 20)
        self.failures += 1
        let ceiling = min(self.initial * (1 << exponent), self.maximum)
        // Equal jitter: never less than half the ceiling, so retries stay spaced out.
        return ceiling / 2 + (ceiling / 2) * min(max(unit, 0), 1)
    }
}

extension Duration {
    /// `minutes` minutes.
    package static func minutes(_ minutes: Int) -> Duration {
        .seconds(minutes * 60)
    }
}
