import Foundation
import GoAPI
import Logging
import Store
import Webhooks

/// Answers webhook questions through GoAPI: each endpoint thread is its own conversation, one question at a
/// time per thread, with the endpoint's GPT and model.
package struct WebhookConversationAnswerer: WebhookAnswerer {
    /// An endpoint's own GPT and model from config.
    package struct EndpointProfile: Sendable, Hashable {
        /// `gizmoId`.
        package var gizmoID: String?
        /// `model`.
        package var model: String?

        /// Creates a profile.
        package init(gizmoID: String?, model: String?) {
            self.gizmoID = gizmoID
            self.model = model
        }
    }

    let asker: ConversationAsker
    let defaults: ProfileDefaults
    let profiles: [String: EndpointProfile]
    /// One question at a time per thread; `package` so tests can see who waits.
    package let serializer: KeyedSerializer
    let logger: Logger

    /// Creates the answerer; `queueLimit` questions may wait per thread.
    package init(
        asker: ConversationAsker,
        defaults: ProfileDefaults,
        profiles: [String: EndpointProfile],
        queueLimit: Int = 5,
        logger: Logger
    ) {
        self.asker = asker
        self.defaults = defaults
        self.profiles = profiles
        self.serializer = KeyedSerializer(limit: queueLimit)
        self.logger = logger
    }

    /// The text that clears a thread's history kept for the backup model, the webhook twin of `!gpt forget`.
    package static let forgetCommand = "/forget"

    package func answer(_ question: WebhookQuestion) async -> WebhookAnswer {
        let key = ConversationKey.webhookThread(endpoint: question.endpoint, thread: question.thread)
        if question.text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == Self.forgetCommand {
            return await self.forget(key: key)
        }
        let configured = self.profiles[question.endpoint]
        let profile = self.defaults.resolve(
            configuredGizmoID: configured?.gizmoID,
            configuredModel: configured?.model,
            settings: nil
        )
        var logger = self.logger
        logger[metadataKey: "webhook.endpoint"] = .string(question.endpoint)
        // Naming the sender lets the model tell people in a shared thread apart, as on IRC.
        let text = question.user.map { "\($0): \(question.text)" } ?? question.text
        let result: Result<ConversationReply, AskFailure>?
        do {
            result = try await self.serializer.run(key) {
                await self.asker.ask(key: key, profile: profile, text: text, logger: logger)
            }
        } catch {
            // Cancelled while an earlier question in the thread was answered: a sync request timed out, or the
            // service is stopping. Nothing was asked; the caller discards this answer.
            return WebhookAnswer(
                conversationID: nil,
                reply: nil,
                incomplete: true,
                error: GoAPIError(.cancelled).userMessage
            )
        }
        BridgeMetrics.question(
            source: "webhook",
            origin: question.endpoint,
            result: result == nil ? "busy" : "accepted"
        )
        guard let result else {
            return WebhookAnswer(
                conversationID: nil,
                reply: nil,
                incomplete: true,
                error: "too many questions are waiting in this thread; please retry later"
            )
        }
        // An answer is delivered (and logged as such) whatever it says; how it ended is logged here. Complete ones
        // at debug: a busy endpoint answers many, and their delivery is logged already.
        result.logOutcome(logger: logger, answeredLevel: .debug)
        return Self.answer(from: result)
    }

    /// Clears the thread's backup history and says so.
    private func forget(key: String) async -> WebhookAnswer {
        do {
            let count = try await self.asker.store.deleteTranscript(key: key)
            return WebhookAnswer(
                conversationID: nil,
                reply: "Forgot \(count) message(s) of this thread's history kept for the backup model."
            )
        } catch {
            return WebhookAnswer(
                conversationID: nil,
                reply: nil,
                incomplete: true,
                error: AskFailure.storeUnavailable.userMessage
            )
        }
    }

    /// The webhook shape of a result: `reply` only for a complete answer; otherwise `error` and `partial`.
    static func answer(from result: Result<ConversationReply, AskFailure>) -> WebhookAnswer {
        switch result {
        case .success(let reply):
            let images = reply.images.compactMap(\.downloadURL)
            let unavailable = reply.images.count - images.count
            guard reply.isComplete else {
                return WebhookAnswer(
                    conversationID: reply.conversationID,
                    reply: nil,
                    incomplete: true,
                    error: (reply.interruption ?? GoAPIError(.cutOff)).userMessage,
                    partial: reply.text,
                    images: images,
                    unavailableImages: unavailable
                )
            }
            return WebhookAnswer(
                conversationID: reply.conversationID.isEmpty ? nil : reply.conversationID,
                reply: reply.text,
                images: images,
                unavailableImages: unavailable,
                fromBackup: reply.isFromBackup
            )
        case .failure(let failure):
            var partial: ConversationTurn?
            if case .goapi(let error) = failure { partial = error.partial }
            return WebhookAnswer(
                conversationID: partial?.conversationID,
                reply: nil,
                incomplete: true,
                error: failure.userMessage,
                partial: partial.flatMap { $0.text.isEmpty ? nil : $0.text }
            )
        }
    }
}
