import Foundation
import GRDB

extension SQLiteBridgeStore {
    /// Binds an optional acknowledgement as `?3` (whether there is one) and `?4` (its bytes): SQLite would store an
    /// empty `Data` as NULL, which must stay distinct from "no acknowledgement". The statements using it number their
    /// arguments `?1` scope, `?2` id, `?3`, `?4`, `?5` first seen, `?6` expiry.
    private static let acknowledgementValue = "CASE WHEN ?3 THEN coalesce(?4, x'') END"

    /// See ``BridgeStore/rememberDelivery(scope:id:acknowledgement:expiresAt:now:)``.
    package func rememberDelivery(
        scope: String,
        id: String,
        acknowledgement: Data?,
        expiresAt: Date,
        now: Date
    ) async throws -> DeliveryMemory {
        try await write { db in
            try Self.remember(
                db,
                scope: scope,
                id: id,
                acknowledgement: acknowledgement,
                expiresAt: expiresAt,
                now: now
            )
        }
    }

    /// Records `id` unless it is remembered and unexpired; the body of ``rememberDelivery(scope:id:acknowledgement:expiresAt:now:)``.
    static func remember(
        _ db: Database,
        scope: String,
        id: String,
        acknowledgement: Data?,
        expiresAt: Date,
        now: Date
    ) throws -> DeliveryMemory {
        // Numbered rather than named: binding by name looks each name up on every call, and this runs for every
        // accepted webhook request.
        let arguments: StatementArguments = [
            scope, id, acknowledgement != nil, acknowledgement, now.timeIntervalSince1970,
            expiresAt.timeIntervalSince1970,
        ]
        // Nearly every id is new: try the insert first, and look at the existing row only when there is one.
        try db.cachedStatement(
            sql: """
                INSERT INTO seen_deliveries (scope, id, acknowledgement, first_seen_at, expires_at)
                VALUES (?1, ?2, \(Self.acknowledgementValue), ?5, ?6)
                ON CONFLICT (scope, id) DO NOTHING
                """
        ).execute(arguments: arguments)
        if db.changesCount > 0 { return .new }
        let existing = try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT acknowledgement, expires_at FROM seen_deliveries WHERE scope = ? AND id = ?"
            ),
            arguments: [scope, id]
        )
        // Compare in the stored representation, exactly as purgeExpired(now:) does.
        if let existing, try existing.decode(Double.self, forColumn: "expires_at") > now.timeIntervalSince1970 {
            return .seen(acknowledgement: try existing.decode(forColumn: "acknowledgement"))
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO seen_deliveries (scope, id, acknowledgement, first_seen_at, expires_at)
                VALUES (?1, ?2, \(Self.acknowledgementValue), ?5, ?6)
                ON CONFLICT (scope, id) DO UPDATE
                SET acknowledgement = excluded.acknowledgement, first_seen_at = excluded.first_seen_at,
                    expires_at = excluded.expires_at
                """
        ).execute(arguments: arguments)
        return .new
    }

    /// See ``BridgeStore/updateAcknowledgement(scope:id:acknowledgement:)``.
    @discardableResult
    package func updateAcknowledgement(scope: String, id: String, acknowledgement: Data?) async throws -> Bool {
        try await write { db in
            try db.cachedStatement(
                sql: """
                    UPDATE seen_deliveries SET acknowledgement = \(Self.acknowledgementValue)
                    WHERE scope = ?1 AND id = ?2
                    """
            ).execute(arguments: [scope, id, acknowledgement != nil, acknowledgement])
            return db.changesCount > 0
        }
    }

    /// See ``BridgeStore/purgeExpired(now:)``.
    @discardableResult
    package func purgeExpired(now: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM seen_deliveries WHERE expires_at <= ?",
                arguments: [now.timeIntervalSince1970]
            )
            return db.changesCount
        }
    }
}
