import Foundation
import GRDB

/// Decoding of the store's rows, with throwing accessors so a row edited by hand into the wrong shape produces an
/// error instead of a crash.
extension Row {
    /// A date column, stored as REAL seconds since 1970.
    func date(_ column: String) throws -> Date {
        Date(timeIntervalSince1970: try decode(Double.self, forColumn: column))
    }
}

extension ConversationRecord {
    /// The columns ``init(row:)`` reads, for SELECT and RETURNING clauses.
    static let columns = "key, gizmo_id, model, conversation_id, created_at, updated_at"

    /// Decodes a `conversations` row; the empty `gizmo_id` that stands for "no GPT" becomes nil.
    init(row: Row) throws {
        self.init(
            key: try row.decode(forColumn: "key"),
            gizmoID: Self.normalizedGizmoID(try row.decode(String.self, forColumn: "gizmo_id")),
            model: try row.decode(forColumn: "model"),
            conversationID: try row.decode(forColumn: "conversation_id"),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at")
        )
    }
}

extension ChannelSettings {
    /// Decodes a `channel_settings` row, whose `gizmo_choice` column says which ``GizmoSetting`` case it holds.
    init(row: Row) throws {
        let choice: String = try row.decode(forColumn: "gizmo_choice")
        let gizmo: GizmoSetting
        switch choice {
        case "inherit":
            gizmo = .inherit
        case "none":
            gizmo = .none
        case "id":
            gizmo = .id(try row.decode(forColumn: "gizmo_id"))
        default:
            throw DatabaseError(
                resultCode: .SQLITE_CORRUPT,
                message: "channel_settings.gizmo_choice holds the unknown value \"\(choice)\""
            )
        }
        self.init(
            key: try row.decode(forColumn: "key"),
            gizmo: gizmo,
            model: try row.decode(forColumn: "model"),
            updatedAt: try row.date("updated_at")
        )
    }

    /// The `gizmo_choice` and `gizmo_id` columns that store `gizmo`.
    var gizmoColumns: (choice: String, id: String?) {
        switch gizmo {
        case .inherit:
            ("inherit", nil)
        case .none:
            ("none", nil)
        case .id(let id):
            ("id", id)
        }
    }
}

extension OutboxDelivery {
    /// The columns ``init(row:)`` reads.
    static let columns = "id, target, payload, created_at, attempts, next_attempt_at, last_error"

    /// Decodes an `outbox` row.
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"),
            target: try row.decode(forColumn: "target"),
            payload: try row.decode(forColumn: "payload"),
            createdAt: try row.date("created_at"),
            attempts: try row.decode(forColumn: "attempts"),
            nextAttemptAt: try row.date("next_attempt_at"),
            lastError: try row.decode(forColumn: "last_error")
        )
    }
}

extension DeadLetter {
    /// Decodes a `dead_letters` row.
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"),
            target: try row.decode(forColumn: "target"),
            payloadByteCount: try row.decode(forColumn: "payload_bytes"),
            createdAt: try row.date("created_at"),
            attempts: try row.decode(forColumn: "attempts"),
            lastError: try row.decode(forColumn: "last_error"),
            reason: try row.decode(forColumn: "reason"),
            abandonedAt: try row.date("abandoned_at")
        )
    }
}
