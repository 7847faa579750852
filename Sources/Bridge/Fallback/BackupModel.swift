import Foundation
import GoAPI
import Logging
import Metrics
import ServiceLifecycle
import Store
import Synchronization

/// The backup source for when GoAPI's Conversation API falters, as GoAPI's own documentation recommends: the LLM
/// API (OpenAI-style chat completions) answers with the conversation's recent turns as context. A circuit breaker
/// stops sending questions to the failing API after a few failures and lets one probe through after a cool-down,
/// so people get answers at once instead of after every retry and timeout.
///
/// The transcript the context comes from is kept for every answer while a backup is configured, bounded in turns,
/// characters and age.
package final class BackupModel: Service, Sendable {
    /// How the backup is used.
    package struct Settings: Sendable {
        /// How much history is kept per conversation.
        package var limits: TranscriptLimits
        /// History older than this is not used (and is purged).
        package var retention: Duration
        /// Appended to backup answers so people know; empty for none.
        package var notice: String
        /// Consecutive Conversation API failures that open the breaker.
        package var failureThreshold: Int
        /// How long the breaker stays open before a probe.
        package var probeAfter: Duration

        /// Creates settings.
        package init(
            limits: TranscriptLimits = TranscriptLimits(maxTurns: 20, maxCharacters: 12_000),
            retention: Duration = .seconds(7 * 86_400),
            notice: String = "(answered by the backup model)",
            failureThreshold: Int = 3,
            probeAfter: Duration = .seconds(60)
        ) {
            self.limits = limits
            self.retention = retention
            self.notice = notice
            self.failureThreshold = failureThreshold
            self.probeAfter = probeAfter
        }
    }

    let client: ChatCompletionsClient
    let settings: Settings
    let store: any BridgeStore
    private let logger: Logger
    private let breaker: Mutex<CircuitBreaker<ContinuousClock.Instant>>
    private let now: @Sendable () -> ContinuousClock.Instant

    /// Creates the backup; `now` is injectable so breaker timing can be tested.
    package init(
        client: ChatCompletionsClient,
        store: any BridgeStore,
        settings: Settings,
        logger: Logger = Logger(label: "goapi-bridge.backup"),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.logger = logger
        self.client = client
        self.store = store
        self.settings = settings
        self.breaker = Mutex(CircuitBreaker(threshold: settings.failureThreshold, coolDown: settings.probeAfter))
        self.now = now
        Gauge(label: "goapi_circuit_state").record(0)
    }

    /// Whether a failure of the Conversation API is one the backup should cover: the API is unreachable,
    /// overloaded or silent. A refused key or request, or an answer cut off after some text, is not.
    static func covers(_ error: GoAPIError) -> Bool {
        switch error.code {
        case .connectFailed, .serverError, .rateLimited, .noReply: true
        case .idleTimeout, .replyTimeout: (error.partial?.text ?? "").isEmpty
        case .unauthorized, .requestRejected, .streamError, .cutOff, .invalidResponse, .cancelled: false
        }
    }

    /// Purges history older than the retention, hourly, until shutdown.
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let cutoff = Date().addingTimeInterval(-Double(self.settings.retention.components.seconds))
                do {
                    try await self.store.purgeTranscripts(before: cutoff)
                } catch {
                    self.logger.info("could not purge old conversation history", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(3_600))
            }
        }
    }

    // MARK: Breaker

    /// Whether this question may go to the Conversation API.
    func allowsPrimary() -> Bool {
        self.updateBreaker { $0.allowsPrimary(now: self.now()) }
    }

    /// The Conversation API answered.
    func primarySucceeded() {
        self.updateBreaker { $0.recordSuccess() }
    }

    /// The Conversation API failed in a way the backup covers.
    func primaryFailed() {
        self.updateBreaker { $0.recordFailure(now: self.now()) }
    }

    /// The question ended without saying anything about the API's health.
    func primaryInconclusive() {
        self.updateBreaker { $0.recordInconclusive(now: self.now()) }
    }

    private func updateBreaker<T>(_ body: (inout CircuitBreaker<ContinuousClock.Instant>) -> T) -> T {
        let (result, before, after) = self.breaker.withLock { breaker in
            let before = breaker.state
            let result = body(&breaker)
            return (result, before, breaker)
        }
        Gauge(label: "goapi_circuit_state").record(after.gaugeValue)
        // An operator reading the log learns when questions stopped going to GoAPI, and when they went back.
        switch (before, after.state) {
        case (.closed, .open), (.halfOpen, .open):
            self.logger.warning(
                "GoAPI keeps failing: questions go to the backup model until a probe succeeds",
                metadata: ["goapi.probe_in_s": "\(after.coolDown.components.seconds)"]
            )
        case (.open, .halfOpen):
            self.logger.notice("Probing GoAPI again with the next question")
        case (.halfOpen, .closed), (.open, .closed):
            self.logger.notice("GoAPI answers again: questions go to it, not to the backup model")
        default:
            break
        }
        return result
    }

    // MARK: Transcript

    /// Records an answered question, so a later backup answer has it as context.
    func remember(key: String, question: String, answer: String, logger: Logger) async {
        let now = Date()
        let turns = [
            TranscriptTurn(role: .user, text: question, createdAt: now),
            TranscriptTurn(role: .assistant, text: answer, createdAt: now),
        ]
        do {
            try await self.store.appendTranscript(key: key, turns: turns, limits: self.settings.limits)
        } catch {
            logger.warning("could not record the conversation's history", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Answering

    /// Answers `question` with the backup model, with the conversation's recent turns as context.
    func answer(
        key: String,
        question: String,
        conversationID: String?,
        logger: Logger
    ) async -> Result<ConversationReply, GoAPIError> {
        let since = Date().addingTimeInterval(-Double(self.settings.retention.components.seconds))
        let history: [TranscriptTurn]
        do {
            history = try await self.store.transcript(key: key, since: since)
        } catch {
            // Answering without context beats not answering while the Conversation API is down.
            logger.warning(
                "could not read the conversation's history; asking without it",
                metadata: ["error": "\(error)"]
            )
            history = []
        }
        let messages =
            history.map { ChatCompletionsClient.Message(role: $0.role.rawValue, content: $0.text) }
            + [ChatCompletionsClient.Message(role: "user", content: question)]
        let result = await self.client.complete(messages, logger: logger)
        switch result {
        case .success(let text):
            Counter(label: "goapi_fallback_total", dimensions: [("outcome", "ok")]).increment()
            logger.notice("answered by the backup model", metadata: ["fallback.context_turns": "\(history.count)"])
            await self.remember(key: key, question: question, answer: text, logger: logger)
            let shown = self.settings.notice.isEmpty ? text : text + "\n\n" + self.settings.notice
            return .success(
                ConversationReply(
                    conversationID: conversationID ?? "",
                    text: shown,
                    isComplete: true,
                    isFromBackup: true
                )
            )
        case .failure(let error):
            Counter(label: "goapi_fallback_total", dimensions: [("outcome", "failed")]).increment()
            logger.warning("the backup model failed too", metadata: ["fallback.error": "\(error)"])
            return .failure(error)
        }
    }
}
