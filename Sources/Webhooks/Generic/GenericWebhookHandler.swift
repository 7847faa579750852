import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Store
import Synchronization
import Timers

/// Serves one `generic` endpoint once the server has checked method, content type and size: signature, replay
/// window, rate limit, body, duplicate check, then the answer in the response (sync) or through the outbox (async).
final class GenericWebhookHandler: EndpointHandler {
    private let path: String
    private let signer: StandardWebhookSigner
    private let mode: WebhookServer.GenericMode
    private let replayWindow: Duration
    private let retention: Duration
    private let limiter: Mutex<RequestRateLimiter>
    private let environment: WebhookEnvironment
    /// Sync requests this process is answering, by webhook id. A remembered id with no response on record and not
    /// in here was left by a process that died while answering it (crash, kill, a shutdown cut short).
    private let answering = Mutex<Set<String>>([])

    /// Creates the handler; throws when the secret is not a `whsec_` secret.
    init(
        path: String,
        endpoint: WebhookServer.GenericEndpoint,
        rateLimit: WebhookServer.RateLimit,
        configuration: WebhookServer.Configuration,
        environment: WebhookEnvironment
    ) throws {
        self.path = path
        self.signer = try StandardWebhookSigner(secret: endpoint.secret)
        self.mode = endpoint.mode
        self.replayWindow = configuration.replayWindow
        self.retention = configuration.deliveryIDRetention
        self.limiter = Mutex(RequestRateLimiter(rateLimit))
        self.environment = environment
    }

    /// Handles a request whose raw body is `body`; `logger` gets the delivery id once it is known.
    func handle(headers: HTTPFields, body: [UInt8], logger: inout Logger) async throws(WebhookHTTPError) -> Response {
        let now = self.environment.now()
        let webhookID = try self.authenticate(headers: headers, body: body, now: now, logger: logger)
        logger[metadataKey: "webhook.delivery_id"] = "\(webhookID)"
        try self.limiter.admitQuestion(to: self.path, now: now)
        let request = try GenericWebhookBody(parsing: body)
        let question = WebhookQuestion(
            endpoint: self.path,
            thread: request.thread,
            user: request.user,
            text: request.text
        )
        do {
            let (response, isNew): (Response, Bool)
            switch self.mode {
            case .sync(let timeout):
                (response, isNew) = try await self.answerNow(
                    question,
                    webhookID: webhookID,
                    timeout: timeout,
                    now: now,
                    logger: logger
                )
            case .async:
                (response, isNew) = try await self.queue(question, webhookID: webhookID, now: now, logger: logger)
            }
            // Only new questions count against the budget: Standard Webhooks senders retry, and the sync flow asks
            // senders to repeat a timed-out request, so repeats that cost nothing must not earn 429s for it or
            // for the next question.
            if !isNew { self.limiter.withLock { $0.refund() } }
            return response
        } catch let error as WebhookHTTPError {
            if error == Self.inProgress { self.limiter.withLock { $0.refund() } }
            throw error
        } catch {
            logger.warning("Webhook store failed", metadata: ["error": "\(error)"])
            throw WebhookHTTPError(.internalServerError, code: "internal_error", "the request could not be recorded")
        }
    }

    /// Checks the signature, then the replay window, and returns the `webhook-id`.
    private func authenticate(
        headers: HTTPFields,
        body: [UInt8],
        now: Date,
        logger: Logger
    ) throws(WebhookHTTPError) -> String {
        let id = headers[.webhookID]
        let timestamp = headers[.webhookTimestamp]
        // One header line per signature is allowed too (Go's `Header.Add`); joined by HTTP's rules, the lines would
        // read `v1,<sig>, v1,<sig>`, and the first signature would end in a comma that is not base64.
        let signatureLines = headers[values: .webhookSignature]
        do {
            // The window is checked separately below, so only holders of the secret learn about it.
            try self.signer.verify(
                id: id,
                timestamp: timestamp,
                signatureHeader: signatureLines.isEmpty ? nil : signatureLines.joined(separator: " "),
                body: body,
                now: now,
                tolerance: .infinity
            )
        } catch {
            logger.info("Webhook signature refused", metadata: ["webhook.reason": "\(error)"])
            switch error.code {
            case .missingHeader:
                throw WebhookHTTPError(
                    .unauthorized,
                    code: "missing_signature",
                    "webhook-id, webhook-timestamp and webhook-signature headers are required"
                )
            case .malformedTimestamp:
                // The format is public: saying so tells nothing about the secret or the window.
                throw WebhookHTTPError(
                    .unauthorized,
                    code: "invalid_timestamp",
                    "webhook-timestamp must be whole seconds since 1970 (Unix time)"
                )
            case .mismatch, .staleTimestamp:
                throw WebhookHTTPError(.unauthorized, code: "invalid_signature", "the signature does not match")
            }
        }
        guard let id, let seconds = timestamp.flatMap({ Int($0) }),
            abs(now.timeIntervalSince1970 - Double(seconds)) <= self.replayWindow.timeInterval
        else {
            throw WebhookHTTPError(
                .unauthorized,
                code: "stale_timestamp",
                "webhook-timestamp is more than \(Int(self.replayWindow.timeInterval)) s from now"
            )
        }
        return id
    }

    /// Sync mode: answers in the response, and remembers the response for repeats; `isNew` is false for a repeat.
    ///
    /// The answer is ``OutlivingWork``: when it takes longer than `timeout` the request gets 504, but the answer keeps
    /// coming and is remembered as this delivery's response. Standard Webhooks senders retry a failed delivery with
    /// the same webhook-id, so the retry gets 409 while the answer is still coming and the answer once it is there,
    /// without a second GoAPI request. (Cancelling the answer instead, as this once did, made every retry of a slow
    /// question start over and time out again, or meet the stored 504 for the rest of the id's retention.)
    private func answerNow(
        _ question: WebhookQuestion,
        webhookID: String,
        timeout: Duration,
        now: Date,
        logger: Logger
    ) async throws -> (Response, isNew: Bool) {
        // A repeat of a request still being answered must not start a second answer. Marked before the store is
        // read, so a repeat either finds the mark (409) or, once the answer is recorded, its stored response. The
        // answer's work removes the mark once it has recorded the response; every other way out removes it here.
        guard self.answering.withLock({ $0.insert(webhookID).inserted }) else { throw Self.inProgress }
        let release = { @Sendable in self.answering.withLock { _ = $0.remove(webhookID) } }
        let memory: DeliveryMemory
        do {
            memory = try await self.environment.store.rememberDelivery(
                scope: self.path,
                id: webhookID,
                acknowledgement: nil,
                expiresAt: now.addingTimeInterval(self.retention.timeInterval),
                now: now
            )
        } catch {
            release()
            throw error
        }
        if case .seen(let stored) = memory {
            if let original = StoredAcknowledgement(stored: stored) {
                release()
                return (Self.repeated(original, logger: logger), false)
            }
            // Remembered without a response, and nobody here answers it: the process answering it before ended
            // first (crash, kill, a shutdown cut short). Answered now, or its sender would get 409 until it expired.
            logger.info("Webhook request answered again: the process answering it before ended without a response")
        }
        let (responses, answered) = AsyncStream.makeStream(of: Response.self)
        let started = self.environment.outlivingWork.start {
            defer {
                release()
                answered.finish()
            }
            if let response = await self.answerAndRemember(question, webhookID: webhookID, logger: logger) {
                answered.yield(response)
            }
        }
        guard started else {
            release()
            throw WebhookHTTPError.stopping
        }
        let waited: Response??
        do {
            waited = try await withDeadline(ContinuousClock.now + timeout) { await responses.first { _ in true } }
        } catch {
            throw WebhookHTTPError.stopping  // the request itself was cancelled
        }
        switch waited {
        case .some(.some(let response)):
            return (response, true)
        case .some(.none):
            // The answer's work ended without one: the server is stopping.
            throw WebhookHTTPError.stopping
        case .none:
            logger.info("Sync webhook answer took longer than the request may wait; it is kept for a retry")
            throw WebhookHTTPError(
                .gatewayTimeout,
                code: "answer_timeout",
                "no answer within \(Int(timeout.timeInterval)) s; it is still being prepared: repeat the request with "
                    + "the same webhook-id to get it",
                headers: [.retryAfter: "5"]
            )
        }
    }

    /// Answers `question` and remembers the response for repeats of `webhookID`. Nil when the answer was cut off by
    /// the server stopping: nothing is remembered then, so the delivery is answered again on its retry.
    private func answerAndRemember(_ question: WebhookQuestion, webhookID: String, logger: Logger) async -> Response? {
        let answer = await self.environment.answerer.answer(question)
        // An answer returned after cancellation is not a real one (see WebhookAnswerer).
        guard !Task.isCancelled else { return nil }
        let body = GenericReplyBody(id: webhookID, thread: question.thread, answer: answer).encoded()
        do {
            try await self.environment.store.updateAcknowledgement(
                scope: self.path,
                id: webhookID,
                acknowledgement: StoredAcknowledgement(status: 200, body: body).encoded()
            )
        } catch {
            // The asker may still be waiting, and the answer is theirs either way; only a repeat asks again.
            logger.info(
                "Sync webhook answer could not be remembered; a repeat of this request will be answered again",
                metadata: ["error": "\(error)"]
            )
        }
        return .json(status: .ok, body: body)
    }

    /// A repeat of a delivery still being answered.
    private static let inProgress = WebhookHTTPError(
        .conflict,
        code: "delivery_in_progress",
        "this webhook-id is still being answered; retry later",
        headers: [.retryAfter: "5"]
    )

    /// Async mode: writes the question to the outbox and remembers the request in one transaction, then
    /// acknowledges with 202; `isNew` is false for a repeat, which gets its original acknowledgement.
    private func queue(
        _ question: WebhookQuestion,
        webhookID: String,
        now: Date,
        logger: Logger
    ) async throws
        -> (Response, isNew: Bool)
    {
        let payload = GenericOutbox.QueuedQuestion(
            id: webhookID,
            thread: question.thread,
            user: question.user,
            text: question.text
        )
        let body = GenericQueuedBody(id: webhookID, thread: question.thread).encoded()
        let memory = try await self.environment.store.acceptDelivery(
            OutboxDelivery(
                id: OutboxRow.questionID(path: self.path, key: webhookID, at: now),
                target: OutboxRow.target(.question, kind: GenericOutbox.kind, path: self.path),
                payload: payload.encoded(),
                createdAt: now
            ),
            ids: [webhookID],
            scope: self.path,
            acknowledgement: StoredAcknowledgement(status: 202, body: body).encoded(),
            expiresAt: now.addingTimeInterval(self.retention.timeInterval),
            now: now
        )
        if case .seen(let stored) = memory {
            guard let original = StoredAcknowledgement(stored: stored) else {
                // Remembered without an acknowledgement: the endpoint was in sync mode and is still answering it.
                throw Self.inProgress
            }
            return (Self.repeated(original, logger: logger), false)
        }
        self.environment.wakeup.signal()
        return (.json(status: .accepted, body: body), true)
    }

    /// The original acknowledgement, for a repeated delivery.
    private static func repeated(_ original: StoredAcknowledgement, logger: Logger) -> Response {
        logger.debug("Repeated webhook delivery answered with its original acknowledgement")
        return .json(status: .init(code: original.status), body: Data(original.body.utf8))
    }
}

extension HTTPField.Name {
    /// Standard Webhooks message id.
    static let webhookID = HTTPField.Name("webhook-id")!
    /// Standard Webhooks signing time, in Unix seconds.
    static let webhookTimestamp = HTTPField.Name("webhook-timestamp")!
    /// Standard Webhooks `v1,<base64>` signatures.
    static let webhookSignature = HTTPField.Name("webhook-signature")!
}
