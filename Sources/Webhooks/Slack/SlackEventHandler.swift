import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Store
import Synchronization

/// Serves one `slack` endpoint (Events API): `v0` signature and replay window, rate limit, then the envelope. Every
/// question is written to the outbox before the acknowledgement, which is immediate, so Slack's 3-second deadline
/// is always met and its retries find the question already remembered — by `event_id`, and by channel and message
/// timestamp for the same message under a new `event_id`.
final class SlackEventHandler: EndpointHandler {
    private let path: String
    private let verifier: SlackRequestVerifier
    private let replayWindow: Duration
    private let retention: Duration
    private let limiter: Mutex<RequestRateLimiter>
    private let environment: WebhookEnvironment

    /// Events API requests are JSON; Slack's slash commands and interactivity send forms, which are verified and
    /// then refused with a clear error rather than an opaque 415.
    var mediaTypes: [String] { ["application/json", "application/x-www-form-urlencoded"] }

    /// Creates the handler.
    init(
        path: String,
        endpoint: WebhookServer.SlackEndpoint,
        rateLimit: WebhookServer.RateLimit,
        configuration: WebhookServer.Configuration,
        environment: WebhookEnvironment
    ) {
        self.path = path
        self.verifier = SlackRequestVerifier(signingSecret: endpoint.signingSecret)
        self.replayWindow = configuration.replayWindow
        self.retention = configuration.deliveryIDRetention
        self.limiter = Mutex(RequestRateLimiter(rateLimit))
        self.environment = environment
    }

    func handle(headers: HTTPFields, body: [UInt8], logger: inout Logger) async throws(WebhookHTTPError) -> Response {
        let now = self.environment.now()
        try self.authenticate(headers: headers, body: body, now: now, logger: logger)
        if let retry = headers[.slackRetryNum] {
            logger[metadataKey: "slack.retry_num"] = "\(retry)"
        }
        guard WebhookResponder.mediaType(headers[.contentType]) == "application/json" else {
            throw WebhookHTTPError(
                .badRequest,
                code: "unsupported_payload",
                "this endpoint serves the Events API (JSON); slash commands and interactivity are not supported"
            )
        }
        switch try SlackEnvelope(parsing: body) {
        case .urlVerification(let challenge):
            logger.info("Slack URL verification answered")
            return .json(status: .ok, body: try! JSONEncoder.webhooks.encode(["challenge": challenge]))
        case .other(let type):
            logger.debug("Slack request ignored", metadata: ["slack.type": "\(type)"])
            return Self.acknowledgement
        case .event(let id, let botUserIDs, let event):
            logger[metadataKey: "webhook.delivery_id"] = "\(id)"
            switch SlackEventDecision(event, botUserIDs: botUserIDs) {
            case .ignore(let reason):
                logger.debug("Slack event ignored", metadata: ["slack.reason": "\(reason)"])
                return Self.acknowledgement
            case .ask(let question):
                // Only questions count against the rate limit, which guards what they cost: Slack also sends the
                // bot's own messages, edits and other events to be ignored, and a 429 for one of those would use
                // up the budget of the questions (and is no acknowledgement).
                try self.limiter.admitQuestion(to: self.path, now: now)
                let isNew = try await self.queue(question, eventID: id, now: now, logger: logger)
                // A retry or duplicate of an event already queued costs nothing: Slack's retries (one per late
                // acknowledgement) must not use up the budget of new questions.
                if !isNew { self.limiter.withLock { $0.refund() } }
                return Self.acknowledgement
            }
        }
    }

    /// The body of every acknowledgement; Slack only reads the status.
    private static let acknowledgement = Response.json(status: .ok, body: Data("{}".utf8))

    /// Checks `X-Slack-Signature` and the replay window.
    private func authenticate(headers: HTTPFields, body: [UInt8], now: Date, logger: Logger) throws(WebhookHTTPError) {
        do {
            try self.verifier.verify(
                timestamp: headers[.slackRequestTimestamp],
                signature: headers[.slackSignature],
                body: body,
                now: now,
                tolerance: self.replayWindow.timeInterval
            )
        } catch {
            logger.info("Slack signature refused", metadata: ["webhook.reason": "\(error)"])
            switch error.code {
            case .missingHeader:
                throw WebhookHTTPError(
                    .unauthorized,
                    code: "missing_signature",
                    "X-Slack-Signature and X-Slack-Request-Timestamp headers are required"
                )
            case .staleTimestamp:
                throw WebhookHTTPError(
                    .unauthorized,
                    code: "stale_timestamp",
                    "X-Slack-Request-Timestamp is more than \(Int(self.replayWindow.timeInterval)) s from now"
                )
            case .malformedTimestamp, .mismatch:
                throw WebhookHTTPError(.unauthorized, code: "invalid_signature", "the signature does not match")
            }
        }
    }

    /// Remembers the event and queues the question in one transaction; returns false when the event (or its
    /// message) was already queued, which is acknowledged all the same.
    private func queue(
        _ question: SlackQuestion,
        eventID: String,
        now: Date,
        logger: Logger
    ) async throws(WebhookHTTPError) -> Bool {
        do {
            let memory = try await self.environment.store.acceptDelivery(
                OutboxDelivery(
                    id: OutboxRow.questionID(path: self.path, key: "\(question.channel):\(question.ts)", at: now),
                    target: OutboxRow.target(.question, kind: SlackOutbox.kind, path: self.path),
                    payload: try JSONEncoder.webhooks.encode(question),
                    createdAt: now
                ),
                ids: ["event:\(eventID)", "message:\(question.channel):\(question.ts)"],
                scope: self.path,
                acknowledgement: Data("{}".utf8),
                expiresAt: now.addingTimeInterval(self.retention.timeInterval),
                now: now
            )
            if memory != .new {
                logger.info("Repeated Slack event acknowledged without a new answer")
                return false
            }
        } catch {
            // Slack retries a failed delivery, so the question is not lost while the store recovers.
            logger.warning("Webhook store failed", metadata: ["error": "\(error)"])
            throw WebhookHTTPError(.internalServerError, code: "internal_error", "the event could not be recorded")
        }
        self.environment.wakeup.signal()
        logger.info("Slack question queued", metadata: ["slack.thread": "\(question.thread)"])
        return true
    }
}

extension HTTPField.Name {
    /// Slack's `v0=` request signature.
    static let slackSignature = HTTPField.Name("X-Slack-Signature")!
    /// Slack's signing time, in Unix seconds.
    static let slackRequestTimestamp = HTTPField.Name("X-Slack-Request-Timestamp")!
    /// How many times Slack has retried this event.
    static let slackRetryNum = HTTPField.Name("X-Slack-Retry-Num")!
}
