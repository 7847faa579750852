import Common
import Crypto
import Foundation
import Store

/// A generic async endpoint's part in the outbox: the question row holds the request, the reply row the answer
/// JSON, POSTed signed to the configured `replyURL`.
struct GenericOutbox: OutboxEndpoint {
    /// The configured `replyURL`.
    let url: String
    /// Signs with the endpoint's secret.
    let signer: StandardWebhookSigner
    /// Makes the POST.
    let sender: any ReplySender
    /// The wall clock, for signing timestamps.
    let now: @Sendable () -> Date

    var kind: String { Self.kind }

    /// The protocol's name in outbox targets.
    static let kind = "generic"

    func thread(ofQuestion payload: Data) -> String? {
        (try? JSONDecoder().decode(QueuedQuestion.self, from: payload))?.thread
    }

    func readQuestion(_ payload: Data, path: String) async -> QuestionReading {
        guard let queued = try? JSONDecoder().decode(QueuedQuestion.self, from: payload) else {
            return .drop("unreadable queued question")
        }
        let question = WebhookQuestion(endpoint: path, thread: queued.thread, user: queued.user, text: queued.text)
        return .ask(question) { answer in
            GenericReplyBody(id: queued.id, thread: queued.thread, answer: answer).encoded()
        }
    }

    /// POSTs a reply, signed now (so a retry hours later is not refused as a replay).
    func deliver(_ reply: OutboxDelivery) async -> ReplyAttempt {
        let messageID = Self.replyMessageID(deliveryID: reply.id)
        let timestamp = Int(self.now().timeIntervalSince1970)
        let request = OutgoingRequest(
            method: "POST",
            url: self.url,
            headers: [
                ("content-type", "application/json"),
                ("webhook-id", messageID),
                ("webhook-timestamp", String(timestamp)),
                ("webhook-signature", self.signer.signature(id: messageID, timestamp: timestamp, body: reply.payload)),
            ],
            body: Array(reply.payload)
        )
        do {
            let result = try await self.sender.send(request)
            return ReplyAttempt(.response(status: result.status, retryAfter: result.retryAfter), reference: messageID)
        } catch {
            return ReplyAttempt(.failed("\(error)"), reference: messageID)
        }
    }

    /// The `webhook-id` of the reply POST: derived from the row id, so retries carry the same id and the receiver
    /// can deduplicate: the first 32 characters of base64url (without padding) of the row id's SHA-256. Written
    /// over bytes: this runs for every reply attempt, and three `replacingOccurrences` calls cost more than the hash.
    static func replyMessageID(deliveryID: String) -> String {
        let base64 = Data(SHA256.hash(data: Data(deliveryID.utf8))).base64EncodedString()
        let urlSafe = base64.utf8.prefix(32).map { byte in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            default: byte
            }
        }
        return "msg_" + String(decoding: urlSafe, as: UTF8.self)
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

        /// The row payload, as ``JSONEncoder/webhooks`` would write it (written by hand: one is stored on every
        /// accepted request).
        func encoded() -> Data {
            var writer = JSONObjectWriter(
                capacity: 48 + self.id.utf8.count + self.thread.utf8.count + (self.user?.utf8.count ?? 0)
                    + self.text.utf8.count
            )
            writer.add("id", self.id)
            writer.add("text", self.text)
            writer.add("thread", self.thread)
            if let user = self.user { writer.add("user", user) }
            return writer.finish()
        }
    }
}
