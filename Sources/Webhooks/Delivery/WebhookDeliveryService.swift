import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Drains the webhook rows of the store's outbox: answers queued questions and POSTs signed replies, retrying with
/// backoff until the receiver accepts, across restarts (the rows are the state). Rows of other targets are left
/// alone.
///
/// On graceful shutdown it starts nothing new and lets running work finish; work cut off by cancellation stays in
/// the outbox and is done after the next start.
package final class WebhookDeliveryService: Service {
    /// Limits and retry rules.
    package struct Configuration: Sendable {
        /// When and how often failed replies are retried.
        package var retry: DeliveryRetryPolicy
        /// At most this many questions and replies are worked on at once.
        package var maxConcurrentDeliveries: Int
        /// The longest the service sleeps without looking at the outbox, as a safety net for rows nobody signalled.
        package var pollInterval: Duration

        /// Creates a configuration.
        package init(
            retry: DeliveryRetryPolicy = DeliveryRetryPolicy(),
            maxConcurrentDeliveries: Int = 4,
            pollInterval: Duration = .seconds(30)
        ) {
            self.retry = retry
            self.maxConcurrentDeliveries = maxConcurrentDeliveries
            self.pollInterval = pollInterval
        }
    }

    /// Where an endpoint's replies go and the secret that signs them.
    struct ReplyRoute: Sendable {
        /// The configured `replyURL`.
        var url: String
        /// Signs with the endpoint's secret.
        var signer: StandardWebhookSigner
    }

    let configuration: Configuration
    let routes: [String: ReplyRoute]
    let store: any BridgeStore
    let answerer: any WebhookAnswerer
    let sender: any ReplySender
    let wakeup: OutboxWakeup
    let logger: Logger
    let now: @Sendable () -> Date
    /// Ids of rows being worked on, so a row still due is not started twice.
    let inFlight = Mutex<Set<String>>([])

    /// Creates the service for the async endpoints among `endpoints`. Throws
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
        var routes: [String: ReplyRoute] = [:]
        for endpoint in endpoints {
            switch endpoint.kind {
            case .generic(let generic):
                guard case .async(let url) = generic.mode else { continue }
                routes[endpoint.path] = ReplyRoute(url: url, signer: try StandardWebhookSigner(secret: generic.secret))
            }
        }
        self.configuration = configuration
        self.routes = routes
        self.store = store
        self.answerer = answerer
        self.sender = sender
        self.wakeup = wakeup
        self.logger = logger
        self.now = now
    }

    /// Works through the outbox until cancelled or shut down gracefully.
    package func run() async throws {
        await withDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    let wait = await self.startDueWork(in: &group)
                    await self.wakeup.wait(upTo: wait)
                }
            } onGracefulShutdown: {
                self.wakeup.signal()
            }
        }
    }

    /// Starts due rows up to the concurrency limit and returns how long to sleep before looking again: until the
    /// next row of ours falls due, at most the poll interval. Rows in flight or of other targets do not shorten
    /// the sleep; finished work signals the wakeup instead.
    private func startDueWork(in group: inout DiscardingTaskGroup) async -> Duration {
        let poll = self.configuration.pollInterval
        do {
            let now = self.now()
            let busy = self.inFlight.withLock { $0.count }
            let free = self.configuration.maxConcurrentDeliveries - busy
            // Rows come ordered by due time, so looking one poll interval ahead also finds the next wake-up time.
            let limit = busy + max(free, 0) + Self.lookahead
            let rows = try await self.store.dueDeliveries(now: now.addingTimeInterval(poll.timeInterval), limit: limit)
            var started = 0
            for delivery in rows where Self.isOurs(delivery.target) {
                guard delivery.nextAttemptAt <= now else {
                    return min(.seconds(delivery.nextAttemptAt.timeIntervalSince(now)), poll)
                }
                guard started < free, self.inFlight.withLock({ $0.insert(delivery.id).inserted }) else { continue }
                started += 1
                group.addTask {
                    await self.process(delivery)
                    self.inFlight.withLock { _ = $0.remove(delivery.id) }
                    self.wakeup.signal()
                }
            }
            // A full page may hide more due rows: look again at once.
            return rows.count == limit && started > 0 ? .zero : poll
        } catch {
            self.logger.info("Webhook outbox could not be read", metadata: ["error": "\(error)"])
            return poll
        }
    }

    /// Rows read beyond those that can be started, to find the next due time behind foreign or busy rows.
    private static let lookahead = 8

    private static func isOurs(_ target: String) -> Bool {
        target.hasPrefix(GenericOutbox.questionTarget) || target.hasPrefix(GenericOutbox.replyTarget)
    }
}
