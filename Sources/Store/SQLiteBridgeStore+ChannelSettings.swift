import Foundation
import GRDB

extension SQLiteBridgeStore {
    /// See ``BridgeStore/channelSettings(key:)``.
    package func channelSettings(key: String) async throws -> ChannelSettings? {
        try self.checkOpen()
        return try await self.settingsCache.value(for: ByteString(key)) {
            try await read { db in
                try Row.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT key, gizmo_choice, gizmo_id, model, updated_at FROM channel_settings WHERE key = ?"
                    ),
                    arguments: [key]
                ).map(ChannelSettings.init(row:))
            }
        }
    }

    /// See ``BridgeStore/saveChannelSettings(_:)``.
    package func saveChannelSettings(_ settings: ChannelSettings) async throws {
        let gizmo = settings.gizmoColumns
        let cache = self.settingsCache
        try await write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO channel_settings (key, gizmo_choice, gizmo_id, model, updated_at)
                    VALUES (:key, :choice, :gizmo, :model, :updated)
                    ON CONFLICT (key) DO UPDATE
                    SET gizmo_choice = excluded.gizmo_choice, gizmo_id = excluded.gizmo_id,
                        model = excluded.model, updated_at = excluded.updated_at
                    """
            ).execute(
                arguments: [
                    "key": settings.key, "choice": gizmo.choice, "gizmo": gizmo.id, "model": settings.model,
                    "updated": settings.updatedAt.timeIntervalSince1970,
                ]
            )
            // On the writer queue at commit, so the cache sees writes in commit order.
            db.afterNextTransaction { _ in cache.store(settings, for: ByteString(settings.key)) }
        }
    }

    /// See ``BridgeStore/deleteChannelSettings(key:)``.
    @discardableResult
    package func deleteChannelSettings(key: String) async throws -> Bool {
        let cache = self.settingsCache
        return try await write { db in
            try db.cachedStatement(sql: "DELETE FROM channel_settings WHERE key = ?").execute(arguments: [key])
            // At commit, in commit order (see saveChannelSettings).
            db.afterNextTransaction { _ in cache.store(nil, for: ByteString(key)) }
            return db.changesCount > 0
        }
    }
}
