import Foundation
import GRDB

extension SQLiteBridgeStore {
    /// See ``BridgeStore/conversation(key:gizmoID:model:)``.
    package func conversation(key: String, gizmoID: String?, model: String) async throws -> ConversationRecord? {
        let gizmoColumn = ConversationRecord.normalizedGizmoID(gizmoID) ?? ""
        let slot = ConversationSlot(key, gizmoColumn, model)
        try self.checkOpen()
        return try await self.conversationCache.value(for: slot) {
            try await read { db in
                try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT \(ConversationRecord.columns) FROM conversations
                            WHERE key = ? AND gizmo_id = ? AND model = ?
                            """
                    ),
                    arguments: [key, gizmoColumn, model]
                ).map(ConversationRecord.init(row:))
            }
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
        let slot = ConversationSlot(key, gizmoColumn, model)
        let cache = self.conversationCache
        return try await write { db in
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        INSERT INTO conversations (key, gizmo_id, model, conversation_id, created_at, updated_at)
                        VALUES (:key, :gizmo, :model, :conversation, :now, :now)
                        ON CONFLICT (key, gizmo_id, model) DO UPDATE
                        SET conversation_id = excluded.conversation_id, updated_at = excluded.updated_at
                        RETURNING \(ConversationRecord.columns)
                        """
                ),
                arguments: [
                    "key": key, "gizmo": gizmoColumn, "model": model, "conversation": conversationID,
                    "now": now.timeIntervalSince1970,
                ]
            )
            guard let row else {
                throw DatabaseError(resultCode: .SQLITE_ERROR, message: "saving the conversation returned no row")
            }
            let record = try ConversationRecord(row: row)
            // On the writer queue at commit, so the cache sees writes in the order SQLite committed them (after
            // the `await`, a concurrent delete's update could land first and leave this record cached).
            db.afterNextTransaction { _ in cache.store(record, for: slot) }
            return record
        }
    }

    /// See ``BridgeStore/deleteConversations(key:)``.
    @discardableResult
    package func deleteConversations(key: String) async throws -> Int {
        let deletedKey = ByteString(key)
        let cache = self.conversationCache
        return try await write { db in
            try db.cachedStatement(sql: "DELETE FROM conversations WHERE key = ?").execute(arguments: [key])
            // At commit, in commit order (see saveConversation).
            db.afterNextTransaction { _ in cache.forget { $0.key == deletedKey } }
            return db.changesCount
        }
    }
}

/// Where a conversation record lives: the conversation key with the GPT and model, the table's primary key, compared
/// byte for byte as SQLite compares them (Swift's `String` equality would make "é" and "e\u{301}" one key).
struct ConversationSlot: Hashable, Sendable {
    var key: ByteString
    var gizmoColumn: ByteString
    var model: ByteString

    init(_ key: String, _ gizmoColumn: String, _ model: String) {
        self.key = ByteString(key)
        self.gizmoColumn = ByteString(gizmoColumn)
        self.model = ByteString(model)
    }
}
