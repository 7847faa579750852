import Foundation
import Logging
import Store

extension WebhookDeliveryService {
    /// Does one row's work: answers a question, or attempts a reply.
    func process(_ delivery: OutboxDelivery) async {
        var logger = self.logger
        logger[metadataKey: "webhook.outbox_id"] = "\(delivery.id)"
        do {
            if self.configuration.retry.isExpired(createdAt: delivery.createdAt, now: self.now()) {
                try await self.abandon(delivery, reason: "not delivered in time", logger: logger)
            } else if delivery.target.hasPrefix(GenericOutbox.questionTarget) {
                let path = String(delivery.target.dropFirst(GenericOutbox.questionTarget.count))
                try await self.answer(delivery, path: path, logger: logger)
            } else {
                let path = String(delivery.target.dropFirst(GenericOutbox.replyTarget.count))
                try await self.attemptReply(delivery, path: path, logger: logger)
            }
        } catch {
            // The store failed; the row is still queued and is tried again after a backoff, so a broken disk does
            // not become a busy loop.
            logger.info("Webhook outbox row could not be processed", metadata: ["error": "\(error)"])
            let action = self.configuration.retry.action(
                after: .failed("store error"),
                for: delivery,
                now: self.now(),
                jitter: .random(in: 0...1)
            )
            if case .retry(let at, let attempts, let error) = action {
                _ = try? await self.store.reschedule(
                    id: delivery.id,
                    attempts: attempts,
                    nextAttemptAt: at,
                    lastError: error
                )
            }
        }
    }

    /// Answers a queued question and replaces its row with the reply to deliver.
    private func answer(_ delivery: OutboxDelivery, path: String, logger: Logger) async throws {
        guard self.routes[path] != nil else {
            try await self.abandon(
                delivery,
                reason: "endpoint \(path) has no async replyURL configured",
                logger: logger
            )
            return
        }
        guard let queued = try? JSONDecoder().decode(GenericOutbox.QueuedQuestion.self, from: delivery.payload) else {
            try await self.abandon(delivery, reason: "unreadable queued question", logger: logger)
            return
        }
        let question = WebhookQuestion(endpoint: path, thread: queued.thread, user: queued.user, text: queued.text)
        let answer = await self.answerer.answer(question)
        // Cut off by shutdown: keep the question so the next start answers it properly.
        guard !Task.isCancelled else { return }
        let body = GenericReplyBody(id: queued.id, thread: queued.thread, answer: answer).encoded()
        try await self.store.enqueue(
            OutboxDelivery(
                id: GenericOutbox.replyID(path: path, webhookID: queued.id),
                target: GenericOutbox.replyTarget + path,
                payload: body,
                createdAt: self.now()
            )
        )
        try await self.store.markDelivered(id: delivery.id)
        logger.debug("Webhook question answered", metadata: ["webhook.delivery_id": "\(queued.id)"])
    }

    /// POSTs a reply, signed now (so a retry hours later is not refused as a replay), and records the outcome.
    private func attemptReply(_ delivery: OutboxDelivery, path: String, logger: Logger) async throws {
        guard let route = self.routes[path] else {
            try await self.abandon(
                delivery,
                reason: "endpoint \(path) has no async replyURL configured",
                logger: logger
            )
            return
        }
        let messageID = GenericOutbox.replyMessageID(deliveryID: delivery.id)
        let timestamp = Int(self.now().timeIntervalSince1970)
        let headers: [(name: String, value: String)] = [
            ("content-type", "application/json"),
            ("webhook-id", messageID),
            ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", route.signer.signature(id: messageID, timestamp: timestamp, body: delivery.payload)),
        ]
        let outcome: DeliveryRetryPolicy.Outcome
        do {
            let result = try await self.sender.post(url: route.url, headers: headers, body: Array(delivery.payload))
            outcome = .response(status: result.status, retryAfter: result.retryAfter)
        } catch {
            outcome = .failed("\(error)")
        }
        let action = self.configuration.retry.action(
            after: outcome,
            for: delivery,
            now: self.now(),
            jitter: .random(in: 0...1)
        )
        switch action {
        case .delivered:
            try await self.store.markDelivered(id: delivery.id)
            logger.info("Webhook reply delivered", metadata: ["webhook.reply_id": "\(messageID)"])
        case .retry(let at, let attempts, let error):
            try await self.store.reschedule(id: delivery.id, attempts: attempts, nextAttemptAt: at, lastError: error)
            logger.info(
                "Webhook reply will be retried",
                metadata: ["webhook.reply_id": "\(messageID)", "webhook.attempts": "\(attempts)", "error": "\(error)"]
            )
        case .abandon(let reason):
            try await self.abandon(delivery, reason: reason, logger: logger)
        }
    }

    private func abandon(_ delivery: OutboxDelivery, reason: String, logger: Logger) async throws {
        try await self.store.abandon(id: delivery.id, reason: reason, now: self.now())
        logger.info("Webhook delivery abandoned", metadata: ["webhook.reason": "\(reason)"])
    }
}
