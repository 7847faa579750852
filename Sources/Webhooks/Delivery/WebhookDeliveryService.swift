import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Drains the webhook rows of the store's outbox: answers queued questions and POSTs signed replies, retrying with
/// backoff until the receiver accepts, across restarts (the rows are the state). Rows of other targets are left
/// alone.
///
/// On graceful shutdown it starts no row and lets running work finish, sending the replies that work produces (the
/// grace period is for answers in progress to reach their askers); questions not yet started, replies the receiver
/// refuses and work cut off by cancellation stay in the outbox and are done after the next start.
package final class WebhookDeliveryService: Service {
    /// Limits and retry rules.
    package struct Configuration: Sendable {
        /// When and how often failed replies are retried.
        package var retry: DeliveryRetryPolicy
        /// At most this many questions are answered at once: the bridge passes GoAPI's own limit, so webhook
        /// questions can use every request GoAPI allows and no more (more would only wait for the client).
        package var maxConcurrentQuestions: Int
        /// At most this many replies are POSTed at once, on slots of their own: a reply never waits behind
        /// questions GoAPI is still answering.
        package var maxConcurrentReplies: Int
        /// The longest the service sleeps without looking at the outbox, as a safety net for rows nobody signalled.
        package var pollInterval: Duration
        /// How long the bot's own Mattermost posts are remembered, so webhooks firing on them are ignored.
        package var deliveryIDRetention: Duration
        /// Dead letters older than this are deleted.
        package var deadLetterRetention: Duration
        /// How often expired delivery ids, old dead letters and expired full-reply pages are purged.
        package var housekeepingInterval: Duration

        /// Creates a configuration.
        package init(
            retry: DeliveryRetryPolicy = DeliveryRetryPolicy(),
            maxConcurrentQuestions: Int = 4,
            maxConcurrentReplies: Int = 4,
            pollInterval: Duration = .seconds(30),
            deliveryIDRetention: Duration = .seconds(86_400),
            deadLetterRetention: Duration = .seconds(7 * 86_400),
            housekeepingInterval: Duration = .seconds(3_600)
        ) {
            self.retry = retry
            self.maxConcurrentQuestions = max(1, maxConcurrentQuestions)
            self.maxConcurrentReplies = max(1, maxConcurrentReplies)
            self.pollInterval = pollInterval
            self.deliveryIDRetention = deliveryIDRetention
            self.deadLetterRetention = deadLetterRetention
            self.housekeepingInterval = housekeepingInterval
        }
    }

    let configuration: Configuration
    /// The outbox side of each async endpoint, by path.
    let routes: [String: any OutboxEndpoint]
    let store: any BridgeStore
    let answerer: any WebhookAnswerer
    let wakeup: OutboxWakeup
    let logger: Logger
    let now: @Sendable () -> Date
    /// Rows being worked on, so a row is never started twice.
    let work = Mutex(WorkSet())
    /// Signalled when work finishes, which is all the service waits for while every slot is busy: new rows then
    /// cannot be started anyway, so the signal of each accepted request need not wake it.
    let slotFreed = OutboxWakeup()

    /// Creates the service for the async endpoints among `endpoints`, making their requests with `sender`. Throws
    /// ``StandardWebhookSigner/InvalidSecret`` when a secret is unusable.
    package init(
        configuration: Configuration,
        endpoints: [WebhookServer.Endpoint],
        store: any BridgeStore,
        answerer: any WebhookAnswerer,
        sender: any ReplySender,
        wakeup: OutboxWakeup,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        var routes: [String: any OutboxEndpoint] = [:]
        for endpoint in endpoints {
            routes[endpoint.path] = try Self.outboxEndpoint(
                for: endpoint,
                sender: sender,
                store: store,
                retention: configuration.deliveryIDRetention,
                logger: logger,
                now: now
            )
        }
        self.configuration = configuration
        self.routes = routes
        self.store = store
        self.answerer = answerer
        self.wakeup = wakeup
        self.logger = logger
        self.now = now
    }

    /// Works through the outbox until cancelled or shut down gracefully.
    package func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await cancelWhenGracefulShutdown { await self.keepHouse() } }
            group.addTask { await cancelWhenGracefulShutdown { await self.reportDepth() } }
            await withGracefulShutdownHandler {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    let wait = await self.startDueWork(in: &group)
                    if self.questionSlotsFull {
                        await self.slotFreed.wait(upTo: wait)
                    } else {
                        await self.wakeup.wait(upTo: wait)
                    }
                }
            } onGracefulShutdown: {
                self.wakeup.signal()
                self.slotFreed.signal()
            }
        }
        // Best effort, and only to say so: after a forced shutdown the read may itself be cancelled.
        if let left = try? await self.store.pendingDeliveryCount(), left > 0 {
            self.logger.notice(
                "Webhook outbox rows left for the next start",
                metadata: ["webhook.outbox_depth": "\(left)"]
            )
        }
    }

    /// Keeps the `webhook_outbox_depth` gauge current; a count every few seconds costs nothing next to deliveries.
    private func reportDepth() async {
        while !Task.isCancelled {
            if let depth = try? await self.store.pendingDeliveryCount() { WebhookMetrics.outbox(depth: depth) }
            try? await Task.sleep(for: .seconds(5))
        }
    }

    /// Purges expired delivery ids, old dead letters and expired full-reply pages now and then, so the store does
    /// not grow without bound.
    private func keepHouse() async {
        while !Task.isCancelled {
            let now = self.now()
            do {
                let ids = try await self.store.purgeExpired(now: now)
                let letters = try await self.store.purgeDeadLetters(
                    abandonedBefore: now.addingTimeInterval(-self.configuration.deadLetterRetention.timeInterval)
                )
                // Pages are served by the webhook server, so their housekeeping lives with the rest of it here.
                let pages = try await self.store.purgeExpiredReplyPages(now: now)
                if ids + letters + pages > 0 {
                    self.logger.debug(
                        "Webhook records purged",
                        metadata: [
                            "webhook.expired_ids": "\(ids)", "webhook.old_dead_letters": "\(letters)",
                            "webhook.expired_reply_pages": "\(pages)",
                        ]
                    )
                }
            } catch {
                self.logger.info("Webhook records could not be purged", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: self.configuration.housekeepingInterval)
        }
    }

    /// Starts due rows up to the concurrency limits and returns how long to sleep before looking again: until the
    /// next row of ours falls due, at most the poll interval. Rows in flight or of other targets do not shorten
    /// the sleep; finished work signals the wakeup instead.
    private func startDueWork(in group: inout DiscardingTaskGroup) async -> Duration {
        let poll = self.configuration.pollInterval
        do {
            let now = self.now()
            let horizon = now.addingTimeInterval(poll.timeInterval)
            // Rows finished from here on may still appear in the read below (it can start before their write):
            // `finished` keeps them from being started a second time.
            let (busy, parked) = self.work.withLock { work in
                work.finished.removeAll(keepingCapacity: true)
                return (
                    PerRole(question: work.inFlight.question.count, reply: work.inFlight.reply.count),
                    // Rows resting after a failed store write come back in the read too, like parked ones.
                    work.parkedIDs.count + work.storeRetries.count
                )
            }
            var free = PerRole(
                question: self.configuration.maxConcurrentQuestions - busy.question,
                reply: self.configuration.maxConcurrentReplies - busy.reply
            )
            // Nothing could be started; finishing work wakes the service (see `slotFreed`).
            guard free.question > 0 || free.reply > 0 else { return poll }
            // Rows come ordered by due time, so looking one poll interval ahead also finds the next wake-up time.
            // Rows in flight, and those parked behind another question of their thread, come back too: they stay
            // queued until done.
            let limit = busy.question + busy.reply + parked + free.question + free.reply + Self.lookahead
            let rows = try await self.store.dueDeliveries(now: horizon, limit: limit)
            var pass = self.start(rows, free: &free, now: now, in: &group)
            let pageFull = rows.count == limit
            if pageFull, free.reply > 0 {
                // The page may be all questions waiting for a slot, with replies due behind them (a retried reply
                // falls due after the questions queued before it): replies have a read of their own, by id.
                let replies = try await self.store.dueDeliveries(
                    now: horizon,
                    limit: busy.reply + free.reply + Self.lookahead,
                    idPrefix: OutboxRow.replyIDPrefix
                )
                let replyPass = self.start(replies, free: &free, now: now, in: &group)
                pass.started += replyPass.started
                pass.nextDue = [pass.nextDue, replyPass.nextDue].compactMap { $0 }.min()
            }
            // A full page may hide more due rows: look again at once.
            if pageFull && pass.started > 0 { return .zero }
            guard let nextDue = pass.nextDue else { return poll }
            return min(.seconds(nextDue.timeIntervalSince(now)), poll)
        } catch is CancellationError {
            // A forced shutdown cut the read short: nothing failed, and the rows stay queued for the next start.
            return poll
        } catch {
            self.logger.error("Webhook outbox could not be read", metadata: ["error": "\(error)"])
            return poll
        }
    }

    /// Starts the due rows among `rows` (in due order) that `free` slots allow; returns how many it started and
    /// when the first row not yet due falls due.
    private func start(
        _ rows: [OutboxDelivery],
        free: inout PerRole<Int>,
        now: Date,
        in group: inout DiscardingTaskGroup
    ) -> (started: Int, nextDue: Date?) {
        var started = 0
        // Rows resting after a failed store write are due in the store, so they also decide the next wake-up.
        var held: Date?
        for delivery in rows {
            guard let (_, role, path) = OutboxRow.parse(target: delivery.target) else { continue }
            guard delivery.nextAttemptAt <= now else {
                return (started, [delivery.nextAttemptAt, held].compactMap { $0 }.min())
            }
            if let notBefore = self.work.withLock({ $0.heldUntil(delivery.id, now: now) }) {
                held = min(held ?? notBefore, notBefore)
                continue
            }
            guard free[role] > 0, self.work.withLock({ $0.mayStart(delivery.id, role: role) }) else { continue }
            // A question's thread decides, in due order and under the claim's lock, whether it starts or waits for
            // the one before it.
            let lane = role == .question ? self.routes[path]?.thread(ofQuestion: delivery.payload) : nil
            guard self.work.withLock({ $0.claim(delivery.id, role: role, lane: lane.map { "\(path)\n\($0)" }) })
            else { continue }
            free[role] -= 1
            started += 1
            group.addTask {
                let fate = await self.process(delivery)
                self.work.withLock { work in
                    work.finish(delivery.id, role: role)
                    // A thread's lane is held until its answer is delivered, not only answered: its reply row (and
                    // each next part) takes the lane over, and a row still queued (a retry, a failed store write)
                    // keeps it. So the answers of one thread reach its chat in the order the questions came. A
                    // parked row let go here is found by the read the signal below brings.
                    switch fate {
                    case .gone, .staysWithoutLane: _ = work.release(delivery.id)
                    // Handed over to the new row already, as it was written (see `complete(_:with:)`).
                    case .replaced, .stays: break
                    }
                }
                self.wakeup.signal()
                self.slotFreed.signal()
            }
        }
        return (started, held)
    }

    /// Whether every question slot is taken. The service then waits only for finished work: the signal of each
    /// accepted request brings a question, which could not be started, and reply rows appear only when a
    /// question's work finishes (or a retry falls due, which the sleep's length covers).
    private var questionSlotsFull: Bool {
        self.work.withLock { $0.inFlight.question.count } >= self.configuration.maxConcurrentQuestions
    }

    /// One value for each role of row.
    struct PerRole<Value> {
        var question: Value
        var reply: Value

        subscript(role: OutboxRow.Role) -> Value {
            get {
                switch role {
                case .question: self.question
                case .reply: self.reply
                }
            }
            set {
                switch role {
                case .question: self.question = newValue
                case .reply: self.reply = newValue
                }
            }
        }
    }

    /// The rows being worked on, and those finished since the current outbox read began.
    struct WorkSet {
        /// Started and not yet finished, by role.
        var inFlight = PerRole<Set<String>>(question: [], reply: [])
        /// Finished since the last read began; such a row may still be in that read's (stale) result.
        var finished: Set<String> = []
        /// Which question row holds each lane (an endpoint's thread) that has a question being answered, or is
        /// kept for the first question waiting in it.
        var laneHolders: [String: String] = [:]
        /// The lane each holder holds.
        var holderLanes: [String: String] = [:]
        /// Question rows waiting for their lane, oldest first, by lane; see ``Lanes``.
        var parked: [String: [String]] = [:]
        /// Every row in `parked`.
        var parkedIDs: Set<String> = []
        /// Rows whose store write failed, resting before the next try; see ``StoreRetry``.
        var storeRetries: [String: StoreRetry] = [:]

        /// Whether `id` is neither running, just finished nor waiting for its lane.
        func mayStart(_ id: String, role: OutboxRow.Role) -> Bool {
            !self.finished.contains(id) && !self.parkedIDs.contains(id) && !self.inFlight[role].contains(id)
        }

        /// Marks `id` as started; false when it is already running, has just finished, waits for its lane, or now
        /// parks in `lane` (a question's endpoint and thread) behind the question holding it.
        mutating func claim(_ id: String, role: OutboxRow.Role, lane: String? = nil) -> Bool {
            guard self.mayStart(id, role: role) else { return false }
            if let lane, self.enter(lane: lane, id: id) == .park { return false }
            return self.inFlight[role].insert(id).inserted
        }

        /// Marks `id` as done; its store write has completed.
        mutating func finish(_ id: String, role: OutboxRow.Role) {
            guard self.inFlight[role].remove(id) != nil else { return }
            self.finished.insert(id)
        }
    }

    /// Rows read beyond those that can be started, to find the next due time behind foreign or busy rows.
    private static let lookahead = 8

    /// The outbox side of an endpoint; nil for endpoints that answer in the response.
    private static func outboxEndpoint(
        for endpoint: WebhookServer.Endpoint,
        sender: any ReplySender,
        store: any BridgeStore,
        retention: Duration,
        logger: Logger,
        now: @escaping @Sendable () -> Date
    ) throws -> (any OutboxEndpoint)? {
        switch endpoint.kind {
        case .generic(let generic):
            guard case .async(let url) = generic.mode else { return nil }
            let signer = try StandardWebhookSigner(secret: generic.secret)
            return GenericOutbox(url: url, signer: signer, sender: sender, now: now)
        case .slack(let slack):
            return SlackOutbox(endpoint: slack, sender: sender)
        case .mattermost(let mattermost):
            guard case .async(let serverURL, let botToken) = mattermost.mode else { return nil }
            let path = endpoint.path
            return MattermostOutbox(serverURL: serverURL, botToken: botToken, sender: sender) { postID in
                let now = now()
                do {
                    _ = try await store.rememberDelivery(
                        scope: path,
                        id: "post:\(postID)",
                        acknowledgement: Data("{}".utf8),
                        expiresAt: now.addingTimeInterval(retention.timeInterval),
                        now: now
                    )
                } catch {
                    // Only matters when a channel-wide webhook echoes the bot's post: it would then be answered.
                    logger.warning("could not remember the bot's own Mattermost post", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
