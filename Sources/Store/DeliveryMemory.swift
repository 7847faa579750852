import Foundation

/// Whether an incoming delivery id is new, as answered by
/// ``BridgeStore/rememberDelivery(scope:id:acknowledgement:expiresAt:now:)``. Webhook senders retry, so a
/// repeated `webhook-id`, Slack `event_id` or Mattermost `post_id` must get the original acknowledgement and cause
/// no second GoAPI call.
package enum DeliveryMemory: Sendable, Hashable {
    /// The id was recorded just now: do the work.
    case new
    /// The id was already recorded and has not expired: answer with `acknowledgement` (nil when none was stored) and
    /// do nothing else.
    case seen(acknowledgement: Data?)
}
