import Foundation
import GRDB

extension SQLiteBridgeStore {
    /// See ``BridgeStore/enqueue(_:)``.
    @discardableResult
    package func enqueue(_ delivery: OutboxDelivery) async throws -> Bool {
        try await write { db in try Self.insert(delivery, into: db) }
    }

    /// Removes one outbox row by id; replacing, delivering and abandoning a row share the one prepared statement.
    private static let deleteDelivery = "DELETE FROM outbox WHERE id = ?"

    /// See ``BridgeStore/replaceDelivery(id:with:)``.
    @discardableResult
    package func replaceDelivery(id: String, with next: OutboxDelivery) async throws -> Bool {
        try await write { db in
            try db.cachedStatement(sql: Self.deleteDelivery).execute(arguments: [id])
            guard db.changesCount > 0 else { return false }
            try Self.insert(next, into: db)
            return true
        }
    }

    /// Inserts `delivery` unless its id is queued; returns whether it was added.
    @discardableResult
    static func insert(_ delivery: OutboxDelivery, into db: Database) throws -> Bool {
        // An empty payload binds as NULL; coalesce keeps it an empty BLOB.
        try db.cachedStatement(
            sql: """
                INSERT INTO outbox (id, target, payload, created_at, attempts, next_attempt_at, last_error)
                VALUES (?, ?, coalesce(?, x''), ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING
                """
        ).execute(
            // Positional: binding by name looks each name up on every call, and this runs for every accepted request.
            arguments: [
                delivery.id, delivery.target, delivery.payload, delivery.createdAt.timeIntervalSince1970,
                delivery.attempts, delivery.nextAttemptAt.timeIntervalSince1970, delivery.lastError,
            ]
        )
        return db.changesCount > 0
    }

    /// See ``BridgeStore/dueDeliveries(now:limit:idPrefix:)``.
    package func dueDeliveries(now: Date, limit: Int, idPrefix: String?) async throws -> [OutboxDelivery] {
        // SQLite reads a negative LIMIT as "no limit".
        guard limit > 0 else { return [] }
        guard let idPrefix else {
            return try await read { db in
                try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT \(OutboxDelivery.columns) FROM outbox
                            WHERE next_attempt_at <= ?
                            ORDER BY next_attempt_at, created_at, id
                            LIMIT ?
                            """
                    ),
                    arguments: [now.timeIntervalSince1970, limit]
                ).map(OutboxDelivery.init(row:))
            }
        }
        let (low, high) = Self.idRange(prefix: idPrefix)
        return try await read { db in
            // A range of the primary key, so a long queue of other rows due first costs nothing; the unary `+`
            // keeps the planner off the due-time index, which would walk that queue.
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(OutboxDelivery.columns) FROM outbox
                        WHERE id >= ? AND id < ? AND +next_attempt_at <= ?
                        ORDER BY +next_attempt_at, +created_at, +id
                        LIMIT ?
                        """
                ),
                arguments: [low, high, now.timeIntervalSince1970, limit]
            ).map(OutboxDelivery.init(row:))
        }
    }

    /// The ids starting with the ASCII `prefix`: at least `prefix`, and below it with its last byte one higher.
    static func idRange(prefix: String) -> (low: String, high: String) {
        var bytes = Array(prefix.utf8)
        precondition(bytes.last.map { $0 < 0x7F } ?? false, "an id prefix is non-empty ASCII")
        bytes[bytes.count - 1] += 1
        return (prefix, String(decoding: bytes, as: UTF8.self))
    }

    /// See ``BridgeStore/markDelivered(id:)``.
    @discardableResult
    package func markDelivered(id: String) async throws -> Bool {
        try await write { db in
            try db.cachedStatement(sql: Self.deleteDelivery).execute(arguments: [id])
            return db.changesCount > 0
        }
    }

    /// See ``BridgeStore/reschedule(id:attempts:nextAttemptAt:lastError:)``.
    @discardableResult
    package func reschedule(id: String, attempts: Int, nextAttemptAt: Date, lastError: String?) async throws -> Bool {
        try await write { db in
            try db.cachedStatement(
                sql: "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?"
            ).execute(arguments: [attempts, nextAttemptAt.timeIntervalSince1970, lastError, id])
            return db.changesCount > 0
        }
    }

    /// See ``BridgeStore/abandon(id:reason:now:)``.
    @discardableResult
    package func abandon(id: String, reason: String, now: Date) async throws -> Bool {
        try await write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO dead_letters
                        (id, target, payload_bytes, created_at, attempts, last_error, reason, abandoned_at)
                    SELECT id, target, length(payload), created_at, attempts, last_error, :reason, :now
                    FROM outbox WHERE id = :id
                    """
            ).execute(arguments: ["id": id, "reason": reason, "now": now.timeIntervalSince1970])
            guard db.changesCount > 0 else { return false }
            try db.cachedStatement(sql: Self.deleteDelivery).execute(arguments: [id])
            return true
        }
    }

    /// See ``BridgeStore/deadLetters(limit:)``.
    package func deadLetters(limit: Int) async throws -> [DeadLetter] {
        guard limit > 0 else { return [] }
        return try await read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, target, payload_bytes, created_at, attempts, last_error, reason, abandoned_at
                        FROM dead_letters ORDER BY abandoned_at DESC, seq DESC LIMIT ?
                        """
                ),
                arguments: [limit]
            ).map(DeadLetter.init(row:))
        }
    }

    /// See ``BridgeStore/purgeDeadLetters(abandonedBefore:)``.
    @discardableResult
    package func purgeDeadLetters(abandonedBefore date: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM dead_letters WHERE abandoned_at < ?",
                arguments: [date.timeIntervalSince1970]
            )
            return db.changesCount
        }
    }

    /// See ``BridgeStore/pendingDeliveryCount()``.
    package func pendingDeliveryCount() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox") ?? 0 }
    }

    /// See ``BridgeStore/nextDueDate()``.
    package func nextDueDate() async throws -> Date? {
        try await read { db in
            try Double.fetchOne(db, sql: "SELECT min(next_attempt_at) FROM outbox").map(
                Date.init(timeIntervalSince1970:)
            )
        }
    }
}
