import Common
import Foundation

/// The answer JSON a generic endpoint sends, in the sync response and in the async reply POST:
/// `{"id", "thread", "conversation_id", "reply", "incomplete"}`, plus `error` and `partial` when the turn failed
/// and `images` when there are any.
struct GenericReplyBody: Encodable {
    /// The `webhook-id` of the request being answered.
    var id: String
    /// The request's thread.
    var thread: String
    /// The answer.
    var answer: WebhookAnswer

    private enum CodingKeys: String, CodingKey {
        case id, thread, reply, incomplete, error, partial, images, source
        case unavailableImages = "images_unavailable"
        case conversationID = "conversation_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.thread, forKey: .thread)
        // Present as null rather than absent, so receivers can rely on the keys.
        try container.encode(self.answer.conversationID, forKey: .conversationID)
        let failed = self.answer.incomplete || self.answer.reply == nil
        try container.encode(failed ? nil : self.answer.reply, forKey: .reply)
        try container.encode(failed, forKey: .incomplete)
        if failed {
            try container.encode(self.answer.error ?? "the answer did not complete", forKey: .error)
            try container.encode(self.answer.partial, forKey: .partial)
        }
        if !self.answer.images.isEmpty {
            try container.encode(self.answer.images, forKey: .images)
        }
        if self.answer.unavailableImages > 0 {
            try container.encode(self.answer.unavailableImages, forKey: .unavailableImages)
        }
        if self.answer.fromBackup {
            // Present only for backup answers, so receivers written before the backup existed see no change.
            try container.encode("backup", forKey: .source)
        }
    }

    /// The encoded bytes.
    func encoded() -> Data {
        // Only strings, booleans and optionals: encoding cannot fail.
        try! JSONEncoder.webhooks.encode(self)
    }
}

/// The 202 body of an accepted async request: `{"id", "thread", "status": "queued"}`.
struct GenericQueuedBody {
    /// The request's `webhook-id`.
    var id: String
    /// The request's thread.
    var thread: String

    /// The encoded bytes, as ``JSONEncoder/webhooks`` would write them (written by hand: this runs on every
    /// accepted request).
    func encoded() -> Data {
        var writer = JSONObjectWriter(capacity: 48 + self.id.utf8.count + self.thread.utf8.count)
        writer.add("id", self.id)
        writer.add("status", "queued")
        writer.add("thread", self.thread)
        return writer.finish()
    }
}

/// What a repeated delivery id is answered with: the status and body first sent for it, as stored with
/// ``BridgeStore/updateAcknowledgement(scope:id:acknowledgement:)``.
struct StoredAcknowledgement: Codable, Hashable {
    /// The original HTTP status.
    var status: Int
    /// The original JSON body, as text.
    var body: String

    /// Reads a stored acknowledgement; nil when there is none or it is unreadable (then the request counts as still
    /// being processed).
    init?(stored data: Data?) {
        guard let data, let value = try? JSONDecoder().decode(StoredAcknowledgement.self, from: data) else {
            return nil
        }
        self = value
    }

    /// Creates an acknowledgement.
    init(status: Int, body: Data) {
        self.status = status
        self.body = String(decoding: body, as: UTF8.self)
    }

    /// The bytes to store, as ``JSONEncoder/webhooks`` would write them (written by hand: async endpoints store one
    /// on every accepted request).
    func encoded() -> Data {
        var writer = JSONObjectWriter(capacity: 32 + self.body.utf8.count * 5 / 4)
        writer.add("body", self.body)
        writer.add("status", self.status)
        return writer.finish()
    }
}
