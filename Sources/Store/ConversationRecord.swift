import Foundation

/// One entry of the conversation map: which GoAPI conversation a bridge conversation key continues for a given GPT
/// and model. Kept across restarts so a channel or webhook thread resumes where it left off.
package struct ConversationRecord: Sendable, Hashable {
    /// The bridge's conversation key, such as `irc:libera:#general` or `webhook:/hooks/team:thread-1`.
    package var key: String
    /// The custom GPT the conversation was created with; nil when none was selected. GoAPI ties a conversation to its
    /// GPT, so this is part of the record's identity.
    package var gizmoID: String?
    /// The model the conversation was created with, also part of the record's identity.
    package var model: String
    /// GoAPI's `conversation_id`, sent with the next question to continue the conversation.
    package var conversationID: String
    /// When the mapping was first saved, so operators can see how old a conversation is.
    package var createdAt: Date
    /// When the mapping was last saved, so stale conversations can be told apart from active ones.
    package var updatedAt: Date

    /// Creates a record; stores build these, callers normally receive them.
    package init(
        key: String,
        gizmoID: String?,
        model: String,
        conversationID: String,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.key = key
        self.gizmoID = gizmoID
        self.model = model
        self.conversationID = conversationID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension ConversationRecord {
    /// Maps "no GPT" to one spelling, so nil and an empty id name the same conversation in every store (SQLite keys
    /// the map with an empty string because a primary key column cannot hold NULL).
    static func normalizedGizmoID(_ gizmoID: String?) -> String? {
        guard let gizmoID, !gizmoID.isEmpty else { return nil }
        return gizmoID
    }
}
