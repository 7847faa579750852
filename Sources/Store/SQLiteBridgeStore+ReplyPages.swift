import Foundation
import GRDB

extension SQLiteBridgeStore {
    /// See ``BridgeStore/saveReplyPage(_:)``.
    package func saveReplyPage(_ page: ReplyPage) async throws {
        try await write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO reply_pages (id, text, created_at, expires_at) VALUES (:id, :text, :created, :expires)
                    ON CONFLICT (id) DO UPDATE
                    SET text = excluded.text, created_at = excluded.created_at, expires_at = excluded.expires_at
                    """
            ).execute(
                arguments: [
                    "id": page.id, "text": page.text, "created": page.createdAt.timeIntervalSince1970,
                    "expires": page.expiresAt.timeIntervalSince1970,
                ]
            )
        }
    }

    /// See ``BridgeStore/replyPage(id:now:)``.
    package func replyPage(id: String, now: Date) async throws -> ReplyPage? {
        try await read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT id, text, created_at, expires_at FROM reply_pages WHERE id = ? AND expires_at > ?"
                ),
                arguments: [id, now.timeIntervalSince1970]
            ).map(ReplyPage.init(row:))
        }
    }

    /// See ``BridgeStore/purgeExpiredReplyPages(now:)``.
    @discardableResult
    package func purgeExpiredReplyPages(now: Date) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM reply_pages WHERE expires_at <= ?", arguments: [now.timeIntervalSince1970])
            return db.changesCount
        }
    }
}

extension ReplyPage {
    /// Decodes a `reply_pages` row.
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"),
            text: try row.decode(forColumn: "text"),
            createdAt: try row.date("created_at"),
            expiresAt: try row.date("expires_at")
        )
    }
}
