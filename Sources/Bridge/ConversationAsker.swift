import Foundation
import GoAPI
import Logging
import Store

/// Asks GoAPI a question within a stored conversation: looks up the conversation id for the key and profile,
/// sends the question, and stores a new id the moment GoAPI reveals it — so a restart, or a stream that fails
/// later, never loses the mapping. Shared by every front end.
package struct ConversationAsker: Sendable {
    let client: GoAPIClient
    let store: any BridgeStore

    /// Creates an asker.
    package init(client: GoAPIClient, store: any BridgeStore) {
        self.client = client
        self.store = store
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
