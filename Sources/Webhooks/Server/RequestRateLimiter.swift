import Foundation
import Synchronization

/// A token bucket for one endpoint: `requests` tokens, refilled evenly over `period`. Pure: time comes in as an
/// argument, so tests step it by hand.
package struct RequestRateLimiter: Sendable {
    /// Whether a request may proceed.
    package enum Decision: Sendable, Hashable {
        /// The request used one token.
        case admitted
        /// No token is left; one will be in `retryAfter` whole seconds (at least 1).
        case limited(retryAfter: Int)
    }

    private let capacity: Double
    private let refillPerSecond: Double
    private var tokens: Double
    private var updatedAt: Date?

    /// Creates a full bucket for `limit`.
    package init(_ limit: WebhookServer.RateLimit) {
        self.capacity = Double(max(limit.requests, 1))
        self.refillPerSecond = self.capacity / max(limit.period.timeInterval, 0.001)
        self.tokens = self.capacity
    }

    /// Takes a token for a request arriving at `now`, if one is left.
    package mutating func admit(now: Date) -> Decision {
        if let updatedAt {
            // A clock stepping backwards must not mint tokens.
            let elapsed = max(now.timeIntervalSince(updatedAt), 0)
            self.tokens = min(self.capacity, self.tokens + elapsed * self.refillPerSecond)
        }
        self.updatedAt = now
        guard self.tokens >= 1 else {
            let wait = (1 - self.tokens) / self.refillPerSecond
            return .limited(retryAfter: max(1, Int(wait.rounded(.up))))
        }
        self.tokens -= 1
        return .admitted
    }

    /// Gives back the token of an admitted request that turned out to cost nothing (a repeat of a delivery already
    /// accepted), so retries do not use up the budget of new requests.
    package mutating func refund() {
        self.tokens = min(self.capacity, self.tokens + 1)
    }
}

extension Mutex where Value == RequestRateLimiter {
    /// Takes a token for a question to `endpoint` arriving at `now`, or refuses it with 429. A refusal is counted in
    /// `bridge_questions_total` as `rate_limited`, as on IRC: the answerer counts the questions it takes, and
    /// without this a dashboard showed no webhook throttling at all.
    func admitQuestion(to endpoint: String, now: Date) throws(WebhookHTTPError) {
        guard case .limited(let seconds) = self.withLock({ $0.admit(now: now) }) else { return }
        WebhookMetrics.questionRateLimited(endpoint: endpoint)
        throw .rateLimited(retryAfter: seconds)
    }
}
