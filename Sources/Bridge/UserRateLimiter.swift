/// A per-person question budget (token bucket): `questions` per `period`, so one person cannot monopolise the
/// bot or the GoAPI account. Pure; time is passed in.
package struct UserRateLimiter: Sendable {
    private struct Bucket: Sendable {
        var tokens: Double
        var updatedAt: ContinuousClock.Instant
    }

    /// Questions allowed in a burst.
    package let questions: Int
    /// The period in which ``questions`` are refilled.
    package let period: Duration
    private var buckets: [String: Bucket] = [:]

    /// Creates a limiter.
    package init(questions: Int, period: Duration) {
        self.questions = max(questions, 1)
        self.period = period
    }

    /// Takes one question from `user`'s budget; `false` when it is spent.
    package mutating func allow(_ user: String, now: ContinuousClock.Instant) -> Bool {
        let refillPerSecond = Double(self.questions) / self.period.seconds
        var bucket = self.buckets[user] ?? Bucket(tokens: Double(self.questions), updatedAt: now)
        bucket.tokens = min(Double(self.questions), bucket.tokens + (now - bucket.updatedAt).seconds * refillPerSecond)
        bucket.updatedAt = now
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        self.buckets[user] = bucket
        if self.buckets.count > 1_000 { self.forgetFull(now: now) }
        return allowed
    }

    /// Drops buckets that have refilled completely, keeping memory bounded on busy networks.
    private mutating func forgetFull(now: ContinuousClock.Instant) {
        self.buckets = self.buckets.filter { now - $0.value.updatedAt < self.period }
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    package var seconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
    }
}
