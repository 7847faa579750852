import Timers

/// Answers questions that arrive through webhooks. The Bridge module implements it with GoAPI; the Webhooks module
/// only knows this seam, so it never depends on how answers are made.
///
/// Implementations must return promptly when their task is cancelled (a sync request timed out, or the service is
/// stopping); an answer returned after cancellation is discarded and the question is asked again later.
package protocol WebhookAnswerer: Sendable {
    /// Answers one question. Failures are reported inside the answer (`incomplete`, `error`), never thrown, because
    /// the asker is told about them in the reply.
    func answer(_ question: WebhookQuestion) async -> WebhookAnswer
}

extension WebhookAnswerer {
    /// Answers `question` unless that takes longer than `timeout`; then the answering task is cancelled and the
    /// result is nil. For senders that wait for the answer in the response.
    func answer(_ question: WebhookQuestion, within timeout: Duration) async -> WebhookAnswer? {
        // A cancelled caller (the service stopping) has no answer either.
        (try? await withDeadline(ContinuousClock.now + timeout) { await self.answer(question) }) ?? nil
    }
}

/// A question received on a webhook endpoint.
package struct WebhookQuestion: Sendable, Hashable, Codable {
    /// The endpoint's path, e.g. `/hooks/team`, which selects the endpoint's GPT and model.
    package var endpoint: String
    /// The sender's conversation thread; questions in the same thread continue one conversation.
    package var thread: String
    /// Who asked, when the sender said so.
    package var user: String?
    /// The question.
    package var text: String

    /// Creates a question.
    package init(endpoint: String, thread: String, user: String?, text: String) {
        self.endpoint = endpoint
        self.thread = thread
        self.user = user
        self.text = text
    }
}

/// The outcome of answering a ``WebhookQuestion``.
package struct WebhookAnswer: Sendable, Hashable {
    /// The GoAPI conversation the answer belongs to, when one was reached.
    package var conversationID: String?
    /// The complete reply; nil when the turn did not finish.
    package var reply: String?
    /// True when the turn never finished, so `reply` is nil and `partial` holds what arrived.
    package var incomplete: Bool
    /// Why the turn failed or was cut off, in words for the receiver.
    package var error: String?
    /// Text received before the turn was cut off.
    package var partial: String?
    /// URLs of images generated with the reply.
    package var images: [String]
    /// Images generated with the reply whose download link could not be fetched.
    package var unavailableImages: Int
    /// The backup model answered because GoAPI's Conversation API was unavailable.
    package var fromBackup: Bool

    /// Creates an answer.
    package init(
        conversationID: String?,
        reply: String?,
        incomplete: Bool = false,
        error: String? = nil,
        partial: String? = nil,
        images: [String] = [],
        unavailableImages: Int = 0,
        fromBackup: Bool = false
    ) {
        self.conversationID = conversationID
        self.reply = reply
        self.incomplete = incomplete
        self.error = error
        self.partial = partial
        self.images = images
        self.unavailableImages = unavailableImages
        self.fromBackup = fromBackup
    }
}
