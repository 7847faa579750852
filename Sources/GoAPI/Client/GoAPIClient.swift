import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Timers

/// Client for GoAPI's ChatGPT/GPTs Conversation API.
///
/// One instance serves the whole process: it owns the connection pools (``ConnectionPools``) with the connect and
/// idle timeouts, and a semaphore that caps concurrent requests. ``ask(_:logger:onConversationID:)`` hides retries, the
/// "conversation not found" restart and the reply deadline, and returns either a reply (complete or explicitly
/// incomplete) or a ``GoAPIError`` that says what a person can do about it.
package final class GoAPIClient: Sendable {
    package let configuration: Configuration
    let connections: ConnectionPools
    let semaphore: AsyncSemaphore
    /// Source of jitter; injectable so tests are deterministic.
    let randomUnit: @Sendable () -> Double
    /// Which API domain questions go to.
    let domains: Mutex<BaseURLSelector<ContinuousClock.Instant>>

    /// Creates a client. Call ``shutdown()`` before the process exits.
    package init(
        configuration: Configuration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        randomUnit: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.configuration = configuration
        var httpConfiguration = HTTPClient.Configuration.untraced
        httpConfiguration.timeout = .init(
            connect: TimeAmount(configuration.connectTimeout),
            read: TimeAmount(configuration.idleTimeout)
        )
        // The client's own RetryPolicy decides about retries (with backoff and a bounded attempt count), so the
        // pool must not also retry connection establishment silently until the connect timeout.
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        self.connections = ConnectionPools(
            maxConcurrentRequests: configuration.maxConcurrentRequests,
            configuration: httpConfiguration,
            eventLoopGroup: eventLoopGroup
        )
        self.semaphore = AsyncSemaphore(permits: configuration.maxConcurrentRequests)
        self.randomUnit = randomUnit
        self.domains = Mutex(
            BaseURLSelector(
                baseURLs: [configuration.baseURL] + configuration.alternateBaseURLs,
                stickiness: configuration.failoverStickiness
            )
        )
    }

    /// The index and base URL of the API domain to use now.
    func currentDomain() -> (index: Int, baseURL: String) {
        self.domains.withLock { selector in
            let index = selector.currentIndex(now: .now)
            return (index, selector.baseURLs[index])
        }
    }

    /// The domain at `index` could not be reached.
    func domainFailed(_ index: Int) {
        self.domains.withLock { $0.failed(index: index, now: .now) }
    }

    /// How many API domains there are.
    var domainCount: Int { 1 + self.configuration.alternateBaseURLs.count }

    /// Closes the connection pool.
    package func shutdown() async throws {
        try await self.connections.shutdown()
    }

    /// Sends `request` and waits for the assistant's reply.
    ///
    /// `onConversationID` runs as soon as the stream names its conversation — before the reply is complete — so
    /// the caller can persist the mapping even if the stream later fails. It may run twice when GoAPI no longer
    /// knows the stored conversation and a new one is created.
    package func ask(
        _ request: ConversationRequest,
        logger: Logger,
        onConversationID: @escaping @Sendable (String) async -> Void
    ) async -> Result<ConversationReply, GoAPIError> {
        let started = ContinuousClock.now
        let deadline = started + self.configuration.replyTimeout
        let timedOut = TimeoutFlag()
        let result = await withTaskGroup(of: Result<ConversationReply, GoAPIError>?.self) { group in
            group.addTask {
                let run = TurnRun(client: self, request: request, deadline: deadline, logger: logger)
                do {
                    return try await self.semaphore.withPermit {
                        await run.perform(timedOut: timedOut, onConversationID: onConversationID)
                    }
                } catch {
                    return .failure(GoAPIError(timedOut.isSet ? .replyTimeout : .cancelled))
                }
            }
            group.addTask {
                // The timer's only job is to cancel the work; the work itself reports what it had streamed so far.
                // Timers.sleep, not Task.sleep: the timer usually ends early, by cancellation (see its comment).
                try? await Timers.sleep(until: deadline)
                if !Task.isCancelled { timedOut.set() }
                return nil
            }
            var outcome: Result<ConversationReply, GoAPIError>?
            for await result in group {
                group.cancelAll()
                if let result { outcome = result }
            }
            guard let outcome else { preconditionFailure("Invalid state: the turn task returned no result") }
            return outcome
        }
        GoAPIMetrics.record(result)
        if case .success(let reply) = result, reply.isComplete {
            GoAPIMetrics.recordTimeToEndTurn(ContinuousClock.now - started)
        }
        return result
    }
}

/// Set by the reply timer just before it cancels the work, so the work can tell a timeout from a shutdown.
final class TimeoutFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { self.value.load(ordering: .acquiring) }

    func set() { self.value.store(true, ordering: .releasing) }
}
