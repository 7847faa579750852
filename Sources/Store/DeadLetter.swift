import Foundation

/// What remains of a delivery the sender gave up on: enough for an operator to see what was dropped, where it was
/// going and why, without keeping the payload itself.
package struct DeadLetter: Sendable, Hashable {
    /// The abandoned delivery's id.
    package var id: String
    /// Where the delivery was going.
    package var target: String
    /// How large the dropped payload was, in bytes.
    package var payloadByteCount: Int
    /// When the delivery was first queued.
    package var createdAt: Date
    /// How many attempts had failed when it was abandoned.
    package var attempts: Int
    /// The error of the last failed attempt, if any.
    package var lastError: String?
    /// Why the sender gave up, such as "receiver answered 410" or "retry limit reached".
    package var reason: String
    /// When the sender gave up.
    package var abandonedAt: Date

    /// Creates a dead letter; stores build these when a delivery is abandoned.
    package init(
        id: String,
        target: String,
        payloadByteCount: Int,
        createdAt: Date,
        attempts: Int,
        lastError: String?,
        reason: String,
        abandonedAt: Date
    ) {
        self.id = id
        self.target = target
        self.payloadByteCount = payloadByteCount
        self.createdAt = createdAt
        self.attempts = attempts
        self.lastError = lastError
        self.reason = reason
        self.abandonedAt = abandonedAt
    }
}

extension DeadLetter {
    /// The dead letter `delivery` leaves when abandoned for `reason` at `abandonedAt`.
    init(abandoning delivery: OutboxDelivery, reason: String, abandonedAt: Date) {
        self.init(
            id: delivery.id,
            target: delivery.target,
            payloadByteCount: delivery.payload.count,
            createdAt: delivery.createdAt,
            attempts: delivery.attempts,
            lastError: delivery.lastError,
            reason: reason,
            abandonedAt: abandonedAt
        )
    }
}
