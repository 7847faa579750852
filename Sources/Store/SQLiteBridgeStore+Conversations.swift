import Foundation
import GRDB

extension SQLiteBridgeStore {
    /// See ``BridgeStore/conversation(key:gizmoID:model:)``.
    package func conversation(key: String, gizmoID: String?, model: String) async throws -> ConversationRecord? {
        let gizmoColumn = ConversationRecord.normalizedGizmoID(gizmoID) ?? ""
        return try await read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT \(ConversationRecord.columns) FROM conversations
                    WHERE key = ? AND gizmo_id = ? AND model = ?
                    """,
                arguments: [key, gizmoColumn, model]
            ).map(ConversationRecord.init(row:))
        }
    }

    /// See ``BridgeStore/saveConversation(key:gizmoID:model:conversationID:now:)``.
    @discardableResult
    package func saveConversation(
        key: String,
        gizmoID: String?,
        model: String,
        conversationID: String,
        now: Date
    ) async throws -> ConversationRecord {
        let gizmoColumn = ConversationRecord.normalizedGizmoID(gizmoID) ?? ""
        return try await write { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    INSERT INTO conversations (key, gizmo_id, model, conversation_id, created_at, updated_at)
                    VALUES (:key, :gizmo, :model, :conversation, :now, :now)
                    ON CONFLICT (key, gizmo_id, model) DO UPDATE
                    SET conversation_id = excluded.conversation_id, updated_at = excluded.updated_at
                    RETURNING \(ConversationRecord.columns)
                    """,
                arguments: [
                    "key": key, "gizmo": gizmoColumn, "model": model, "conversation": conversationID,
                    "now": now.timeIntervalSince1970,
                ]
            )
            guard let row else {
                throw DatabaseError(resultCode: .SQLITE_ERROR, message: "saving the conversation returned no row")
            }
            return try ConversationRecord(row: row)
        }
    }

    /// See ``BridgeStore/deleteConversations(key:)``.
    @discardableResult
    package func deleteConversations(key: String) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM conversations WHERE key = ?", arguments: [key])
            return db.changesCount
        }
    }
}
