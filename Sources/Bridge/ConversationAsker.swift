import Foundation
import GoAPI
import Logging
import Store

/// Asks GoAPI a question within a stored conversation: looks up the conversation id for the key and profile,
/// sends the question, and stores a new id the moment GoAPI reveals it — so a restart, or a stream that fails
/// later, never loses the mapping. Shared by every front end.
///
/// With a ``BackupModel``, questions the Conversation API cannot answer (unreachable, overloaded, silent) are
/// answered by the backup instead, and while its circuit breaker is open they go to the backup directly.
package struct ConversationAsker: Sendable {
    let client: GoAPIClient
    let store: any BridgeStore
    let backup: BackupModel?

    /// Creates an asker; `backup` is the optional backup model.
    package init(client: GoAPIClient, store: any BridgeStore, backup: BackupModel? = nil) {
        self.client = client
        self.store = store
        self.backup = backup
    }

    /// Sends `text` to the conversation `key` under `profile`.
    package func ask(
        key: String,
        profile: ChatProfile,
        text: String,
        logger: Logger
    ) async -> Result<ConversationReply, AskFailure> {
        let existing: ConversationRecord?
        do {
            existing = try await self.store.conversation(key: key, gizmoID: profile.gizmoID, model: profile.model)
        } catch {
            logger.error("could not read the conversation map", metadata: ["error": "\(error)"])
            // Asking without the stored id would silently fork the conversation; refuse instead.
            return .failure(.storeUnavailable)
        }
        var logger = logger
        logger[metadataKey: "goapi.conversation_id"] = existing.map { .string($0.conversationID) }
        guard let backup = self.backup else {
            return await self.askPrimary(key: key, profile: profile, text: text, existing: existing, logger: logger)
        }
        guard backup.allowsPrimary() else {
            logger.info("the Conversation API is failing; asking the backup model")
            return await backup.answer(
                key: key,
                question: text,
                conversationID: existing?.conversationID,
                logger: logger
            )
            .mapError { .goapi($0) }
        }
        let result = await self.askPrimary(key: key, profile: profile, text: text, existing: existing, logger: logger)
        switch result {
        case .success(let reply):
            backup.primarySucceeded()
            if reply.isComplete {
                await backup.remember(key: key, question: text, answer: reply.text, logger: logger)
            }
            return result
        case .failure(.goapi(let error)) where BackupModel.covers(error):
            backup.primaryFailed()
            let fallback = await backup.answer(
                key: key,
                question: text,
                conversationID: error.partial?.conversationID ?? existing?.conversationID,
                logger: logger
            )
            // When the backup fails too, the person hears about the Conversation API's failure, the root cause.
            return fallback.mapError { _ in .goapi(error) }
        case .failure:
            backup.primaryInconclusive()
            return result
        }
    }

    /// Asks the Conversation API, storing a new conversation id the moment it is revealed.
    private func askPrimary(
        key: String,
        profile: ChatProfile,
        text: String,
        existing: ConversationRecord?,
        logger: Logger
    ) async -> Result<ConversationReply, AskFailure> {
        let request = ConversationRequest(
            conversationID: existing?.conversationID,
            text: text,
            model: profile.model,
            gizmoID: profile.gizmoID
        )
        let store = self.store
        let callbackLogger = logger
        let result = await self.client.ask(request, logger: logger) { conversationID in
            guard conversationID != existing?.conversationID else { return }
            do {
                try await store.saveConversation(
                    key: key,
                    gizmoID: profile.gizmoID,
                    model: profile.model,
                    conversationID: conversationID,
                    now: Date()
                )
            } catch {
                callbackLogger.error(
                    "could not store the conversation id",
                    metadata: ["goapi.conversation_id": "\(conversationID)", "error": "\(error)"]
                )
            }
        }
        return result.mapError { .goapi($0) }
    }
}

/// Why a question got no answer.
package enum AskFailure: Error, Sendable {
    /// GoAPI failed (see its code and user message).
    case goapi(GoAPIError)
    /// The conversation store could not be read.
    case storeUnavailable

    /// One short sentence for the person who asked.
    package var userMessage: String {
        switch self {
        case .goapi(let error): error.userMessage
        case .storeUnavailable: "the bridge cannot reach its database right now; please tell the operator."
        }
    }
}
