import Foundation

/// A reply waiting to be delivered to a webhook receiver or chat API. It is written before the first attempt and
/// stays queued, across restarts, until the receiver accepts it or the sender gives up.
package struct OutboxDelivery: Sendable, Hashable {
    /// Unique id of the delivery (for example the `webhook-id` the receiver deduplicates on); enqueuing is idempotent
    /// on it.
    package var id: String
    /// Where the delivery goes, such as `webhook:/hooks/team`; the sender resolves it against its configuration,
    /// never against a request body.
    package var target: String
    /// The bytes the sender built; the store never looks inside.
    package var payload: Data
    /// When the reply was first queued, to order deliveries that are due at the same moment.
    package var createdAt: Date
    /// How many attempts have failed so far, for the sender's backoff and give-up rule.
    package var attempts: Int
    /// The earliest moment of the next attempt.
    package var nextAttemptAt: Date
    /// Why the last attempt failed, for logs and dead letters; nil before the first failure.
    package var lastError: String?

    /// Creates a delivery; a new one has no failed attempts and is due at once unless `nextAttemptAt` says otherwise.
    package init(
        id: String,
        target: String,
        payload: Data,
        createdAt: Date,
        attempts: Int = 0,
        nextAttemptAt: Date? = nil,
        lastError: String? = nil
    ) {
        self.id = id
        self.target = target
        self.payload = payload
        self.createdAt = createdAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt ?? createdAt
        self.lastError = lastError
    }
}
