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
        self.take(user, now: now) == nil
    }

    /// Takes one question from `user`'s budget: `nil` when there was one, else how long until there is.
    package mutating func take(_ user: String, now: ContinuousClock.Instant) -> Duration? {
        var bucket = self.refilled(
            self.buckets[user] ?? Bucket(tokens: Double(self.questions), updatedAt: now),
            now: now
        )
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        self.buckets[user] = bucket
        if self.buckets.count > 1_000 { self.forgetFull(now: now) }
        return allowed ? nil : .seconds((1 - bucket.tokens) * self.period.seconds / Double(self.questions))
    }

    /// `old` is now called `new` (both folded): the budget follows the person, so a nick change does not refill it.
    /// A bucket `new` already has (someone who held the nick before) gives way to the lower of the two.
    package mutating func renamed(from old: String, to new: String, now: ContinuousClock.Instant) {
        guard old != new, let bucket = self.buckets.removeValue(forKey: old).map({ self.refilled($0, now: now) })
        else { return }
        if let existing = self.buckets[new].map({ self.refilled($0, now: now) }), existing.tokens < bucket.tokens {
            self.buckets[new] = existing
            return
        }
        self.buckets[new] = bucket
    }

    /// `bucket` as it stands at `now`.
    private func refilled(_ bucket: Bucket, now: ContinuousClock.Instant) -> Bucket {
        let refillPerSecond = Double(self.questions) / self.period.seconds
        let tokens = min(Double(self.questions), bucket.tokens + (now - bucket.updatedAt).seconds * refillPerSecond)
        return Bucket(tokens: tokens, updatedAt: now)
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
