import Foundation
import Store

/// Decides what happens to a reply after an attempt to POST it: done, retried later, or given up. Pure: the time,
/// the outcome and the jitter come in as arguments.
package struct DeliveryRetryPolicy: Sendable, Hashable {
    /// The wait after the first failure; each later failure doubles it.
    package var initialBackoff: Duration
    /// The longest wait the doubling reaches.
    package var maxBackoff: Duration
    /// A reply still undelivered this long after it was queued is abandoned.
    package var giveUpAfter: Duration

    /// Creates a policy.
    package init(
        initialBackoff: Duration = .seconds(1),
        maxBackoff: Duration = .seconds(600),
        giveUpAfter: Duration = .seconds(86_400)
    ) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.giveUpAfter = giveUpAfter
    }

    /// How an attempt went.
    package enum Outcome: Sendable, Hashable {
        /// The receiver answered with `status`, and `Retry-After` seconds if it sent one.
        case response(status: Int, retryAfter: Double?)
        /// No answer: connection refused, timed out, reset.
        case failed(String)
        /// The receiver answered that this delivery can never succeed (e.g. Slack's `channel_not_found`).
        case refused(String)
    }

    /// What to do with the delivery.
    package enum Action: Sendable, Hashable {
        /// The receiver accepted it: remove it.
        case delivered
        /// Try again at `at`, recording `attempts` failures and `error`.
        case retry(at: Date, attempts: Int, error: String)
        /// Stop trying and keep a dead letter with `reason`.
        case abandon(reason: String)
    }

    /// The action after `outcome` for `delivery` at `now`; `jitter` in 0...1 spreads retries of many deliveries
    /// (the wait is between half and all of the backoff).
    package func action(after outcome: Outcome, for delivery: OutboxDelivery, now: Date, jitter: Double) -> Action {
        let error: String
        var retryAfter: Double?
        switch outcome {
        case .response(let status, _) where (200..<300).contains(status):
            return .delivered
        case .response(410, _):
            return .abandon(reason: "receiver answered 410 Gone")
        case .response(413, _):
            // The same body would be refused again at every retry, for the whole give-up age.
            return .abandon(reason: "receiver answered 413: the reply is larger than it accepts")
        case .refused(let reason):
            return .abandon(reason: reason)
        case .response(let status, let seconds) where (300..<400).contains(status):
            // Reply URLs come from the config only, so the bridge never follows a redirect to somewhere else.
            error = "receiver answered \(status); redirects are not followed, so configure the final URL"
            retryAfter = seconds
        case .response(let status, let seconds):
            error = "receiver answered \(status)"
            retryAfter = seconds
        case .failed(let reason):
            error = reason
        }
        let attempts = delivery.attempts + 1
        let wait = max(self.backoff(afterFailures: attempts, jitter: jitter), retryAfter ?? 0)
        let next = now.addingTimeInterval(wait)
        let deadline = delivery.createdAt.addingTimeInterval(self.giveUpAfter.timeInterval)
        guard next >= deadline else { return .retry(at: next, attempts: attempts, error: error) }
        // A backoff that runs past the give-up age ends in one last attempt just before it, so a reply is given up
        // at the age configured (and named in the reason), not up to a whole backoff (10 min) earlier; unless the
        // receiver asked to wait past the age, or this was that last attempt.
        let last = deadline.addingTimeInterval(-Self.lastAttemptLead)
        guard last > now, retryAfter.map({ now.addingTimeInterval($0) < deadline }) ?? true else {
            return .abandon(reason: self.expiryReason(lastError: error))
        }
        return .retry(at: last, attempts: attempts, error: error)
    }

    /// How long before the give-up age the last attempt is made: inside the age, which ``isExpired(createdAt:now:)``
    /// checks before every attempt.
    static let lastAttemptLead: TimeInterval = 1

    /// The wait in seconds after `failures` failures in a row: ``initialBackoff`` doubled for each failure after the
    /// first, at most ``maxBackoff`` (or `cap`, when lower), then between half and all of that as `jitter` (0...1)
    /// says.
    package func backoff(afterFailures failures: Int, jitter: Double, cap: Duration? = nil) -> TimeInterval {
        let exponent = min(max(failures - 1, 0), 62)
        let ceiling = min(self.maxBackoff, cap ?? self.maxBackoff).timeInterval
        let backoff = min(self.initialBackoff.timeInterval * pow(2, Double(exponent)), ceiling)
        return backoff * (0.5 + 0.5 * min(max(jitter, 0), 1))
    }

    /// The dead letter's reason when the give-up age ends the retries; the same words whether the age ran out
    /// after a failed attempt or before the next one started, so operators search for one phrase.
    package func expiryReason(lastError: String?) -> String {
        let reason = "not delivered within \(Int(self.giveUpAfter.timeInterval)) s"
        guard let lastError else { return reason }
        return "\(reason); last error: \(lastError)"
    }

    /// Whether a delivery queued at `createdAt` is too old to attempt at `now`.
    package func isExpired(createdAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(createdAt) >= self.giveUpAfter.timeInterval
    }
}
