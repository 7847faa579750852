import Foundation
import GoAPI
import Logging
import Store
import Synchronization

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
    /// Ids the store could not take, shared by every copy of this asker.
    let unsaved = UnsavedConversationIDs()
    /// How many times each conversation key was reset. An answer started before a reset must not write its
    /// conversation id or its history afterwards: the reset would be undone (the old conversation continued, its
    /// history handed to the backup model) as soon as that answer ended.
    private let resets = ResetCounts()

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
        var existing: String?
        do {
            existing = try await self.store.conversation(key: key, gizmoID: profile.gizmoID, model: profile.model)?
                .conversationID
        } catch {
            logger.error("could not read the conversation map", metadata: ["error": "\(error)"])
            // Asking without the stored id would silently fork the conversation; refuse instead.
            return .failure(.storeUnavailable)
        }
        let slot = UnsavedConversationIDs.Slot(key: key, gizmoID: profile.gizmoID, model: profile.model)
        if let unsaved = self.unsaved.id(for: slot) {
            existing = unsaved
            await self.save(unsaved, in: slot, isNew: false, logger: logger)
        }
        var logger = logger
        logger[metadataKey: "goapi.conversation_id"] = existing.map { .string($0) }
        let generation = self.resets.count(key)
        let askPrimary = { [logger, existing] in
            await self.askPrimary(
                key: key,
                profile: profile,
                text: text,
                existing: existing,
                generation: generation,
                logger: logger
            )
        }
        guard let backup = self.backup else { return await askPrimary() }
        guard backup.allowsPrimary() else {
            logger.info("the Conversation API is failing; asking the backup model")
            return await backup.answer(
                key: key,
                question: text,
                conversationID: existing,
                logger: logger
            )
            .mapError { .goapi($0) }
        }
        let result = await askPrimary()
        switch result {
        case .success(let reply):
            backup.primarySucceeded()
            if reply.isComplete, self.resets.count(key) == generation {
                await backup.remember(key: key, question: text, answer: reply.text, logger: logger)
            }
            return result
        case .failure(.goapi(let error)) where BackupModel.covers(error):
            backup.primaryFailed()
            let fallback = await backup.answer(
                key: key,
                question: text,
                conversationID: error.partial?.conversationID ?? existing,
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
        existing: String?,
        generation: Int,
        logger: Logger
    ) async -> Result<ConversationReply, AskFailure> {
        let request = ConversationRequest(
            conversationID: existing,
            text: text,
            model: profile.model,
            gizmoID: profile.gizmoID
        )
        let slot = UnsavedConversationIDs.Slot(key: key, gizmoID: profile.gizmoID, model: profile.model)
        let result = await self.client.ask(request, logger: logger) { conversationID in
            guard conversationID != existing, self.resets.count(key) == generation else { return }
            await self.save(conversationID, in: slot, isNew: true, logger: logger)
        }
        return result.mapError { error in
            // A failure before the stream named a conversation still belongs to the stored one: a webhook reply
            // says which (it said none), and the next question continues it.
            guard error.partial == nil, let existing else { return .goapi(error) }
            var withConversation = error
            withConversation.partial = ConversationTurn(conversationID: existing, text: "", isComplete: false)
            return .goapi(withConversation)
        }
    }

    /// Stores `conversationID` for `slot`; when the store refuses, keeps it in memory for the next question (see
    /// ``UnsavedConversationIDs``). `isNew` says GoAPI has just revealed the id, which then replaces any older id
    /// still waiting in memory (GoAPI started a new conversation because the old one was gone).
    private func save(
        _ conversationID: String,
        in slot: UnsavedConversationIDs.Slot,
        isNew: Bool,
        logger: Logger
    ) async {
        do {
            try await self.store.saveConversation(
                key: slot.key,
                gizmoID: slot.gizmoID,
                model: slot.model,
                conversationID: conversationID,
                now: Date()
            )
            self.unsaved.stored(conversationID, for: slot, replacingAny: isNew)
        } catch {
            self.unsaved.remember(conversationID, for: slot)
            logger.error(
                "could not store the conversation id; keeping it in memory until the store takes it",
                metadata: ["goapi.conversation_id": "\(conversationID)", "error": "\(error)"]
            )
        }
    }

    /// Forgets ids of `key` the store has not taken yet; call when the conversation is reset, so the next question
    /// does not bring the old one back.
    package func forgetUnsaved(key: String) {
        self.resets.increment(key)
        self.unsaved.forget(key: key)
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

/// How many times each conversation key was reset (see ``ConversationAsker``).
private final class ResetCounts: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func count(_ key: String) -> Int {
        self.counts.withLock { $0[key, default: 0] }
    }

    func increment(_ key: String) {
        self.counts.withLock { $0[key, default: 0] += 1 }
    }
}
