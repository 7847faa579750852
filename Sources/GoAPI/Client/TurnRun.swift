import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1

/// One question's journey through GoAPI: attempts, backoff, the 404 restart, streaming and image links.
///
/// Retries happen only before the first stream byte: once GoAPI has started answering, asking again would post
/// the question twice into the conversation.
struct TurnRun: Sendable {
    let client: GoAPIClient
    let request: ConversationRequest
    let deadline: ContinuousClock.Instant
    let logger: Logger

    init(client: GoAPIClient, request: ConversationRequest, deadline: ContinuousClock.Instant, logger: Logger) {
        self.client = client
        self.request = request
        self.deadline = deadline
        var logger = logger
        logger[metadataKey: "goapi.gizmo_id"] = request.gizmoID.map { .string($0) }
        self.logger = logger
    }

    /// The result of one HTTP request.
    enum AttemptOutcome {
        case streamed(StreamedTurn)
        case conversationNotFound
        case failed(GoAPIError, retryAfter: Double?)
    }

    func perform(
        timedOut: TimeoutFlag,
        onConversationID: @escaping @Sendable (String) async -> Void
    ) async -> Result<ConversationReply, GoAPIError> {
        var conversationID = self.request.conversationID
        var startedNewConversation = false
        var attempt = 1
        var unreachableDomains: Set<Int> = []
        while true {
            var logger = self.logger
            logger[metadataKey: "goapi.conversation_id"] = conversationID.map { .string($0) }
            logger[metadataKey: "goapi.attempt"] = "\(attempt)"
            let domain = self.client.currentDomain()
            switch await self.attempt(
                conversationID: conversationID,
                baseURL: domain.baseURL,
                timedOut: timedOut,
                logger: logger,
                onConversationID
            ) {
            case .streamed(let streamed):
                return await self.finish(
                    streamed,
                    fallbackConversationID: conversationID,
                    startedNewConversation: startedNewConversation,
                    logger: logger
                )
            case .conversationNotFound where conversationID != nil && !startedNewConversation:
                logger.notice("GoAPI does not know the stored conversation; starting a new one")
                conversationID = nil
                startedNewConversation = true
            case .conversationNotFound:
                return .failure(GoAPIError(.requestRejected, status: 404, detail: "conversation endpoint not found"))
            case .failed(let error, _)
            where error.code == .connectFailed && self.client.domainCount > 1
                && unreachableDomains.count + 1 < self.client.domainCount:
                // Another API domain may be reachable: move on at once, without spending an attempt.
                unreachableDomains.insert(domain.index)
                self.client.domainFailed(domain.index)
                logger.notice(
                    "GoAPI domain unreachable; trying the next one",
                    metadata: ["goapi.domain": "\(domain.baseURL)", "goapi.error": "\(error)"]
                )
            case .failed(let error, let retryAfter):
                if error.code == .connectFailed { self.client.domainFailed(domain.index) }
                let policy = self.client.configuration.retry
                guard error.isRetryable, attempt < policy.maxAttempts,
                    retryAfter.map({ policy.waits(retryAfter: $0) }) ?? true
                else {
                    logger.info(
                        "GoAPI request failed",
                        metadata: [
                            "goapi.error": "\(error)", "goapi.retry_after": "\(retryAfter.map { "\($0)" } ?? "")",
                        ]
                    )
                    return .failure(error)
                }
                let delay =
                    retryAfter.map { policy.delay(retryAfter: $0) }
                    ?? policy.delay(afterAttempt: attempt, unit: self.client.randomUnit())
                logger.info(
                    "GoAPI request failed; retrying",
                    metadata: [
                        "goapi.error": "\(error)", "goapi.retry_in_ms": "\(Int((delay / .milliseconds(1)).rounded()))",
                    ]
                )
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    return .failure(GoAPIError(timedOut.isSet ? .replyTimeout : .cancelled, partial: nil))
                }
                attempt += 1
            }
        }
    }

    /// Sends one HTTP request and, if GoAPI accepts it, reads the stream, holding one of the client's connections
    /// throughout.
    private func attempt(
        conversationID: String?,
        baseURL: String,
        timedOut: TimeoutFlag,
        logger: Logger,
        _ onConversationID: @escaping @Sendable (String) async -> Void
    ) async -> AttemptOutcome {
        await self.client.connections.withClient { httpClient in
            await self.attempt(
                on: httpClient,
                conversationID: conversationID,
                baseURL: baseURL,
                timedOut: timedOut,
                logger: logger,
                onConversationID
            )
        }
    }

    private func attempt(
        on httpClient: HTTPClient,
        conversationID: String?,
        baseURL: String,
        timedOut: TimeoutFlag,
        logger: Logger,
        _ onConversationID: @escaping @Sendable (String) async -> Void
    ) async -> AttemptOutcome {
        let response: HTTPClientResponse
        let started = ContinuousClock.now
        do {
            response = try await httpClient.execute(
                self.client.conversationRequest(self.request, conversationID: conversationID, baseURL: baseURL),
                timeout: TimeAmount(self.client.configuration.replyTimeout),
                logger: logger.forHTTPClient
            )
        } catch {
            return .failed(GoAPIError(transportError: error, timedOut: timedOut, partial: nil), retryAfter: nil)
        }
        let status = Int(response.status.code)
        GoAPIMetrics.recordTimeToFirstByte(ContinuousClock.now - started)
        logger.debug("GoAPI responded", metadata: ["goapi.status": "\(status)"])
        switch status {
        case 200..<300 where response.isEventStream:
            return .streamed(
                await StreamedTurn.read(response, client: self.client, timedOut: timedOut, onConversationID)
            )
        case 200..<300:
            // GoAPI's unified error envelope can arrive as a 200 JSON body; read it for its own status code, which
            // can also say that the conversation is gone.
            let envelope = await ErrorEnvelope.read(from: response)
            if envelope.code == 404, conversationID != nil { return .conversationNotFound }
            return .failed(self.fromUpstream(envelope.error(httpStatus: status)), retryAfter: nil)
        case 404 where conversationID != nil:
            // Only GoAPI's own JSON answer says the conversation is gone. A proxy's or CDN's 404 page (a deploy, a
            // routing blip) does not, and taking it for that would replace the stored conversation for good.
            let envelope = await ErrorEnvelope.read(from: response)
            guard envelope.isJSON else {
                return .failed(self.fromUpstream(envelope.error(httpStatus: status)), retryAfter: nil)
            }
            return .conversationNotFound
        default:
            let envelope = await ErrorEnvelope.read(from: response)
            return .failed(
                self.fromUpstream(envelope.error(httpStatus: status)),
                retryAfter: response.retryAfterSeconds
            )
        }
    }

    /// `error`, made of GoAPI's own text, without the API key it may quote.
    private func fromUpstream(_ error: GoAPIError) -> GoAPIError {
        error.redacting(self.client.configuration.apiKey)
    }

    /// Turns a streamed turn into a reply, fetching image links for a turn that produced images.
    private func finish(
        _ streamed: StreamedTurn,
        fallbackConversationID: String?,
        startedNewConversation: Bool,
        logger: Logger
    ) async -> Result<ConversationReply, GoAPIError> {
        if streamed.malformedEvents > 0 {
            // Skipped events are harmless one by one, but a stream of them is how a change in GoAPI's format shows.
            logger.info(
                "GoAPI stream events that could not be read were skipped",
                metadata: ["goapi.malformed_events": "\(streamed.malformedEvents)"]
            )
        }
        switch streamed.outcome {
        case .failure(let failure):
            switch failure.kind {
            case .eventError(let message):
                return .failure(self.fromUpstream(GoAPIError(.streamError, detail: message, partial: failure.partial)))
            case .endedWithoutReply:
                var error =
                    streamed.interruption
                    ?? GoAPIError(
                        .noReply,
                        detail: streamed.malformedEvents > 0
                            ? "\(streamed.malformedEvents) event(s) of the stream could not be read" : nil
                    )
                error.partial = failure.partial
                return .failure(error)
            }
        case .success(let turn):
            guard let conversationID = turn.conversationID ?? fallbackConversationID else {
                return .failure(
                    GoAPIError(.invalidResponse, detail: "the stream named no conversation_id", partial: turn)
                )
            }
            if turn.isComplete, turn.imageFileIDs.isEmpty, turn.text.allSatisfy(\.isWhitespace) {
                // A final message without text (or none the bridge can read: a part type it does not know) has
                // nothing to show: no answer, worth asking again, rather than an empty one posted as complete.
                return .failure(
                    GoAPIError(.noReply, detail: "the final message held no text the bridge could read", partial: turn)
                )
            }
            if streamed.omittedImages {
                // Said once per turn, so an operator can tell a stream naming thousands of images from a quiet one.
                logger.info(
                    "GoAPI named more images than a reply keeps; only the first ones are linked",
                    metadata: ["goapi.images_kept": "\(turn.imageFileIDs.count)"]
                )
            }
            var images: [GeneratedImage] = []
            for fileID in turn.imageFileIDs {
                let url = await self.client.downloadURL(conversationID: conversationID, fileID: fileID, logger: logger)
                images.append(GeneratedImage(fileID: fileID, downloadURL: url))
            }
            let interruption = turn.isComplete ? nil : streamed.interruption ?? GoAPIError(.cutOff, partial: turn)
            return .success(
                ConversationReply(
                    conversationID: conversationID,
                    text: turn.text,
                    isComplete: turn.isComplete,
                    interruption: interruption,
                    images: images,
                    startedNewConversation: startedNewConversation
                )
            )
        }
    }
}
