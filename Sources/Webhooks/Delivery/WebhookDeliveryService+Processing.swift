import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization

extension WebhookDeliveryService {
    /// What became of a row once its work is done, which decides its thread's lane (see ``Lanes``).
    enum RowFate: Equatable {
        /// The row is gone: delivered, abandoned or ignored.
        case gone
        /// The row was replaced: a question by its reply, a reply part by the next part (which took the lane over
        /// as it was written).
        case replaced
        /// The row is still queued: rescheduled, resting after a store failure, or cut short by shutdown.
        case stays
        /// The row is still queued, but has been refused so often that its thread should not wait for it: a reply
        /// one receiver keeps refusing (a body it cannot take) would otherwise hold the thread's later questions
        /// until it is given up, a day later, and some of them would be given up unanswered.
        case staysWithoutLane
    }

    /// Does one row's work: answers a question, or attempts a reply. Returns what became of the row.
    @discardableResult
    func process(_ delivery: OutboxDelivery) async -> RowFate {
        var logger = self.logger
        logger[metadataKey: "webhook.outbox_id"] = "\(delivery.id)"
        do {
            let fate = try await self.carryOut(delivery, logger: &logger)
            self.work.withLock { _ = $0.storeRetries.removeValue(forKey: delivery.id) }
            return fate
        } catch is CancellationError {
            // A forced shutdown cut the work short; the row stays queued for the next start, as any other.
            return .stays
        } catch {
            // The store failed; the row is still queued. It rests for a backoff, so a broken disk does not become a
            // busy loop, and work already done is not done again (see `StoreRetry`).
            let retryAt = self.storeFailed(delivery.id, now: self.now())
            logger.error(
                "Webhook outbox row could not be saved; trying again later",
                metadata: [
                    "error": "\(error)",
                    "webhook.retry_in_seconds": "\(max(0, Int(retryAt.timeIntervalSince(self.now()).rounded(.up))))",
                ]
            )
            return .stays
        }
    }

    /// The row's work; throws when the store fails.
    private func carryOut(_ delivery: OutboxDelivery, logger: inout Logger) async throws -> RowFate {
        guard let (kind, role, path) = OutboxRow.parse(target: delivery.target) else { return .stays }
        logger[metadataKey: "webhook.endpoint"] = "\(path)"
        // Work already done (the answer given, the reply accepted) only needs its write, whatever the row's age or
        // the endpoint's configuration now: abandoning an accepted reply as undelivered would be untrue.
        if let write = self.owedWrite(for: delivery.id) {
            return try await self.complete(delivery, with: write)
        }
        if self.configuration.retry.isExpired(createdAt: delivery.createdAt, now: self.now()) {
            let reason = self.configuration.retry.expiryReason(lastError: delivery.lastError)
            return try await self.abandon(delivery, reason: reason, logger: logger)
        }
        guard let endpoint = self.routes[path], endpoint.kind == kind else {
            let reason = "endpoint \(path) is no longer configured as an async \(kind) endpoint"
            return try await self.abandon(delivery, reason: reason, logger: logger)
        }
        switch role {
        case .question: return try await self.answer(delivery, path: path, endpoint: endpoint, logger: logger)
        case .reply: return try await self.attemptReply(delivery, endpoint: endpoint, logger: logger)
        }
    }

    /// Answers a queued question and replaces its row with the first reply row, in one transaction.
    private func answer(
        _ delivery: OutboxDelivery,
        path: String,
        endpoint: any OutboxEndpoint,
        logger: Logger
    ) async throws -> RowFate {
        switch await endpoint.readQuestion(delivery.payload, path: path) {
        case .drop(let reason):
            return try await self.abandon(delivery, reason: reason, logger: logger)
        case .retryLater(let reason):
            return try await self.record(.failed(reason), for: delivery, reference: delivery.id, logger: logger)
        case .ignore(let reason):
            try await self.store.markDelivered(id: delivery.id)
            logger.info("Webhook question ignored", metadata: ["webhook.reason": "\(reason)"])
            return .gone
        case .ask(let question, let replyPayload):
            let answer = await self.answerer.answer(question)
            // Cut off by shutdown: keep the question so the next start answers it properly.
            guard !Task.isCancelled else { return .stays }
            // The reply keeps the question's place in the queue: someone is waiting for it, and behind a backlog of
            // new questions it would otherwise wait until all of them were answered.
            let reply = OutboxDelivery(
                id: OutboxRow.replyID(question: delivery.id),
                target: OutboxRow.target(.reply, kind: endpoint.kind, path: path),
                payload: replyPayload(answer),
                createdAt: self.now(),
                nextAttemptAt: delivery.nextAttemptAt
            )
            logger.debug("Webhook question answered", metadata: ["webhook.incomplete": "\(answer.incomplete)"])
            return try await self.complete(delivery, with: .replace(with: reply))
        }
    }

    /// Attempts a reply row and records the outcome; an accepted part of a long reply queues the next part.
    private func attemptReply(
        _ delivery: OutboxDelivery,
        endpoint: any OutboxEndpoint,
        logger: Logger
    ) async throws -> RowFate {
        let attempt = await endpoint.deliver(delivery)
        let action = self.action(after: attempt.outcome, for: delivery)
        WebhookMetrics.deliveryAttempt(kind: endpoint.kind, outcome: action.metricsLabel)
        if case .delivered = action, let next = attempt.next {
            let row = OutboxDelivery(
                id: next.id,
                target: delivery.target,
                payload: next.payload,
                createdAt: self.now(),
                nextAttemptAt: delivery.nextAttemptAt
            )
            logger.info("Webhook reply part delivered", metadata: ["webhook.reply_id": "\(attempt.reference)"])
            return try await self.complete(delivery, with: .replace(with: row))
        }
        return try await self.apply(action, for: delivery, reference: attempt.reference, logger: logger)
    }

    /// Attempts `reply` at once when a graceful shutdown is under way. The service then starts no row, so a reply
    /// that running work leaves behind (a question just answered, the next part of a long reply) would otherwise
    /// wait for the next start while its asker waits for it: the grace period is for finishing exactly this. A reply
    /// the receiver refuses now stays in the outbox for the next start, as any other.
    func deliverWhileShuttingDown(_ reply: OutboxDelivery) async {
        guard Task.isShuttingDownGracefully, !Task.isCancelled else { return }
        // The service's loop may have read the row just before the shutdown began; whoever claims it first sends it.
        guard self.work.withLock({ $0.claim(reply.id, role: .reply) }) else { return }
        await self.process(reply)
        self.work.withLock { $0.finish(reply.id, role: .reply) }
    }

    /// Applies the retry policy to an outcome: removes, reschedules or abandons the row.
    private func record(
        _ outcome: DeliveryRetryPolicy.Outcome,
        for delivery: OutboxDelivery,
        reference: String,
        logger: Logger
    ) async throws -> RowFate {
        try await self.apply(
            self.action(after: outcome, for: delivery),
            for: delivery,
            reference: reference,
            logger: logger
        )
    }

    /// Removes, reschedules or abandons the row as `action` says.
    private func apply(
        _ action: DeliveryRetryPolicy.Action,
        for delivery: OutboxDelivery,
        reference: String,
        logger: Logger
    ) async throws -> RowFate {
        switch action {
        case .delivered:
            logger.info("Webhook reply delivered", metadata: ["webhook.reply_id": "\(reference)"])
            return try await self.complete(delivery, with: .remove)
        case .retry(let at, let attempts, let error):
            try await self.store.reschedule(id: delivery.id, attempts: attempts, nextAttemptAt: at, lastError: error)
            logger.log(
                level: Self.retryLogLevel(afterAttempts: attempts),
                "Webhook outbox row will be retried",
                metadata: ["webhook.reply_id": "\(reference)", "webhook.attempts": "\(attempts)", "error": "\(error)"]
            )
            // Order is kept through a blip or a 429; a refusal that lasts lets the thread go on without it.
            return attempts >= Self.attemptsBeforeWarning ? .staysWithoutLane : .stays
        case .abandon(let reason):
            return try await self.abandon(delivery, reason: reason, logger: logger)
        }
    }

    /// Failed attempts from which a reply stops holding its thread, and its retries start to be warned about.
    static let attemptsBeforeWarning = 3

    /// The level of the line saying a row will be retried after `attempts` failures. One refusal is routine (a
    /// deploy, a blip) and logged at info; a receiver still refusing on the third attempt is something an operator
    /// watching warnings should hear about, well before the reply is given up. After that a warning comes at the
    /// 4th, 8th, 16th … attempt: a receiver down for a day used to give about 150 warnings for every reply.
    package static func retryLogLevel(afterAttempts attempts: Int) -> Logger.Level {
        guard attempts >= Self.attemptsBeforeWarning else { return .info }
        let isPowerOfTwo = attempts & (attempts - 1) == 0
        return attempts == Self.attemptsBeforeWarning || isPowerOfTwo ? .warning : .info
    }

    private func action(
        after outcome: DeliveryRetryPolicy.Outcome,
        for delivery: OutboxDelivery
    )
        -> DeliveryRetryPolicy.Action
    {
        self.configuration.retry.action(after: outcome, for: delivery, now: self.now(), jitter: .random(in: 0...1))
    }

    /// Gives the row up as a dead letter. Logged at `error`: a question or an answer is lost to its chat, and
    /// nobody there is told.
    private func abandon(_ delivery: OutboxDelivery, reason: String, logger: Logger) async throws -> RowFate {
        guard try await self.store.abandon(id: delivery.id, reason: reason, now: self.now()) else { return .gone }
        if let (kind, role, _) = OutboxRow.parse(target: delivery.target) {
            WebhookMetrics.deadLetter(kind: kind, role: role.rawValue)
        }
        logger.error("Webhook delivery abandoned", metadata: ["webhook.reason": "\(reason)"])
        return .gone
    }
}

extension DeliveryRetryPolicy.Action {
    /// The outcome label of `webhook_delivery_attempts_total`.
    fileprivate var metricsLabel: String {
        switch self {
        case .delivered: "delivered"
        case .retry: "retry"
        case .abandon: "abandoned"
        }
    }
}
