import Foundation
import Logging
import Store

/// What request handlers share: the store, the answerer, the wakeup for the delivery service, the clock, the logger
/// and the work that outlives requests.
struct WebhookEnvironment: Sendable {
    /// Remembers delivery ids and holds the outbox.
    var store: any BridgeStore
    /// Answers questions.
    var answerer: any WebhookAnswerer
    /// Tells the delivery service about new outbox rows.
    var wakeup: OutboxWakeup
    /// The wall clock; injected so tests can replay signed requests from the past.
    var now: @Sendable () -> Date
    /// The server's logger.
    var logger: Logger
    /// Work requests start without waiting for it to end (sync answers that outlive their request).
    var outlivingWork: OutlivingWork
}
