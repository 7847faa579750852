import Crypto
import Foundation

/// How generic endpoints use the store's outbox. An async request is first a question row (the work to do), then a
/// reply row (the signed POST to make); both carry the endpoint path in their target, so the reply URL and secret
/// are looked up in the configuration at delivery time and never come from a request.
///
/// Row ids include the path because two endpoints' senders may pick the same `webhook-id`.
enum GenericOutbox {
    /// Target prefix of a question waiting for its answer.
    static let questionTarget = "generic-question:"
    /// Target prefix of a reply waiting to be POSTed.
    static let replyTarget = "generic-reply:"

    /// The row id of the question a request asked.
    static func questionID(path: String, webhookID: String) -> String {
        "q:\(path):\(webhookID)"
    }

    /// The row id of the reply to a request.
    static func replyID(path: String, webhookID: String) -> String {
        "r:\(path):\(webhookID)"
    }

    /// The `webhook-id` of the reply POST: derived from the row id, so retries (and a question answered twice
    /// after a crash) carry the same id and the receiver can deduplicate.
    static func replyMessageID(deliveryID: String) -> String {
        let digest = Data(SHA256.hash(data: Data(deliveryID.utf8)))
        let base64URL = digest.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "msg_" + base64URL.prefix(32)
    }

    /// A question row's payload.
    struct QueuedQuestion: Codable, Hashable {
        /// The request's `webhook-id`.
        var id: String
        /// The request's thread.
        var thread: String
        /// The request's user, if any.
        var user: String?
        /// The question.
        var text: String
    }
}
