import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Store
import Synchronization

/// Serves one `mattermost` endpoint (outgoing webhooks). Mattermost signs nothing: the webhook's token travels in
/// the body, so the body's fields are read first and the token compared in constant time before any of them is
/// used or stored. Each post is remembered by `post_id`, so a repeat never causes a second answer.
final class MattermostWebhookHandler: EndpointHandler {
    private let path: String
    private let token: String
    private let mode: WebhookServer.MattermostMode
    private let retention: Duration
    private let limiter: Mutex<RequestRateLimiter>
    private let environment: WebhookEnvironment

    /// Mattermost posts hold at most 16,383 characters; an async answer is posted in up to five of them.
    static let splitter = MessageSplitter(limit: 16_000, maxParts: 5)
    /// The sync answer is the one post of the response, shortened with a note saying so when it is longer.
    static let responseSplitter = MessageSplitter(limit: 16_000, maxParts: 1)

    var mediaTypes: [String] { ["application/x-www-form-urlencoded", "application/json"] }

    /// Creates the handler.
    init(
        path: String,
        endpoint: WebhookServer.MattermostEndpoint,
        rateLimit: WebhookServer.RateLimit,
        configuration: WebhookServer.Configuration,
        environment: WebhookEnvironment
    ) {
        self.path = path
        self.token = endpoint.token
        self.mode = endpoint.mode
        self.retention = configuration.deliveryIDRetention
        self.limiter = Mutex(RequestRateLimiter(rateLimit))
        self.environment = environment
    }

    func handle(headers: HTTPFields, body: [UInt8], logger: inout Logger) async throws(WebhookHTTPError) -> Response {
        let now = self.environment.now()
        let json = WebhookResponder.mediaType(headers[.contentType]) == "application/json"
        let fields = try MattermostPayload.fields(of: body, json: json)
        guard let token = fields.token, constantTimeEquals(token, self.token) else {
            logger.info(
                "Mattermost token refused",
                metadata: ["webhook.reason": "\(fields.token == nil ? "missing" : "mismatch")"]
            )
            throw WebhookHTTPError(.unauthorized, code: "invalid_token", "the webhook token is missing or wrong")
        }
        let payload = try MattermostPayload(fields)
        logger[metadataKey: "webhook.delivery_id"] = "\(payload.postID)"
        guard !payload.question.isEmpty else {
            logger.debug("Mattermost post without a question ignored")
            return Self.noReply
        }
        try self.limiter.admitQuestion(to: self.path, now: now)
        do {
            let (response, isNew): (Response, Bool)
            switch self.mode {
            case .sync(let timeout):
                (response, isNew) = try await self.answerNow(payload, timeout: timeout, now: now, logger: logger)
            case .async:
                (response, isNew) = try await self.queue(payload, now: now, logger: logger)
            }
            // Only new questions count: a channel-wide webhook also fires on each of the bot's own reply posts
            // (remembered, so never answered), and Mattermost never retries a refused webhook, so a 429 earned by
            // those would silently lose the next person's question.
            if !isNew { self.limiter.withLock { $0.refund() } }
            return response
        } catch {
            logger.warning("Webhook store failed", metadata: ["error": "\(error)"])
            throw WebhookHTTPError(.internalServerError, code: "internal_error", "the post could not be recorded")
        }
    }

    /// An empty JSON object: Mattermost posts nothing for it.
    private static let noReply = Response.json(status: .ok, body: Data("{}".utf8))

    /// Sync mode: the answer is the response, a comment in the post's thread.
    private func answerNow(
        _ payload: MattermostPayload,
        timeout: Duration,
        now: Date,
        logger: Logger
    ) async throws -> (Response, isNew: Bool) {
        let memory = try await self.environment.store.rememberDelivery(
            scope: self.path,
            id: "post:\(payload.postID)",
            acknowledgement: nil,
            expiresAt: now.addingTimeInterval(self.retention.timeInterval),
            now: now
        )
        if case .seen = memory {
            // Mattermost posts the text of every response it gets and never retries a webhook itself, so a second
            // delivery of a post (two outgoing webhooks on one channel, a manual repeat) would show the answer twice.
            logger.info("Repeated Mattermost post: no second answer")
            return (Self.noReply, false)
        }
        // Without a bot token the thread root cannot be looked up; the post itself stands for its thread then.
        let question = WebhookQuestion(
            endpoint: self.path,
            thread: "\(payload.channelID)/\(payload.rootID ?? payload.postID)",
            user: payload.user,
            text: payload.question
        )
        let text: String
        if let answer = await self.environment.answerer.answer(question, within: timeout) {
            text =
                Self.responseSplitter.parts(of: MattermostText.withoutChannelMentions(ChatReply.markdown(for: answer)))
                .first ?? ""
        } else {
            text = "_Sorry, no answer within \(Int(timeout.timeInterval)) s. Please ask again._"
        }
        let body = try JSONEncoder.webhooks.encode(["text": text, "response_type": "comment"])
        return (.json(status: .ok, body: body), true)
    }

    /// Async mode: remembers the post and queues the question in one transaction; the answer is posted later.
    private func queue(_ payload: MattermostPayload, now: Date, logger: Logger) async throws -> (Response, isNew: Bool)
    {
        let queued = MattermostOutbox.QueuedQuestion(
            postID: payload.postID,
            channelID: payload.channelID,
            rootID: payload.rootID,
            user: payload.user,
            userID: payload.userID,
            text: payload.question
        )
        let memory = try await self.environment.store.acceptDelivery(
            OutboxDelivery(
                id: OutboxRow.questionID(path: self.path, key: payload.postID, at: now),
                target: OutboxRow.target(.question, kind: MattermostOutbox.kind, path: self.path),
                payload: try JSONEncoder.webhooks.encode(queued),
                createdAt: now
            ),
            ids: ["post:\(payload.postID)"],
            scope: self.path,
            acknowledgement: Data("{}".utf8),
            expiresAt: now.addingTimeInterval(self.retention.timeInterval),
            now: now
        )
        if memory != .new {
            // A repeat, or the bot's own reply seen by a channel-wide webhook: never answered (again).
            logger.info("Known Mattermost post acknowledged without a new answer")
            return (Self.noReply, false)
        }
        self.environment.wakeup.signal()
        logger.info("Mattermost question queued")
        return (Self.noReply, true)
    }
}
