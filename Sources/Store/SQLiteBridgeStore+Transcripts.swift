import Foundation
import GRDB

extension SQLiteBridgeStore {
    /// See ``BridgeStore/appendTranscript(key:turns:limits:)``.
    package func appendTranscript(key: String, turns: [TranscriptTurn], limits: TranscriptLimits) async throws {
        try await write { db in
            for turn in turns {
                try db.cachedStatement(
                    sql: "INSERT INTO transcript_turns (key, role, text, created_at) VALUES (?, ?, ?, ?)"
                ).execute(arguments: [key, turn.role.rawValue, turn.text, turn.createdAt.timeIntervalSince1970])
            }
            // Newest first, only as many as could possibly be kept; everything older than the kept suffix goes.
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT seq, role, text, created_at FROM transcript_turns
                        WHERE key = ? ORDER BY seq DESC LIMIT ?
                        """
                ),
                arguments: [key, limits.maxTurns + 1]
            )
            let stored = try rows.reversed().map { try Self.turn($0) }
            let kept = limits.keptSuffix(of: stored.map(\.turn))
            let firstKept = kept.isEmpty ? Int64.max : stored[kept.startIndex].seq
            try db.cachedStatement(sql: "DELETE FROM transcript_turns WHERE key = ? AND seq < ?")
                .execute(arguments: [key, firstKept])
        }
    }

    /// See ``BridgeStore/transcript(key:since:)``.
    package func transcript(key: String, since: Date) async throws -> [TranscriptTurn] {
        try await read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT seq, role, text, created_at FROM transcript_turns
                        WHERE key = ? AND created_at >= ? ORDER BY seq
                        """
                ),
                arguments: [key, since.timeIntervalSince1970]
            ).map { try Self.turn($0).turn }
        }
    }

    /// See ``BridgeStore/deleteTranscript(key:)``.
    @discardableResult
    package func deleteTranscript(key: String) async throws -> Int {
        try await write { db in
            try db.cachedStatement(sql: "DELETE FROM transcript_turns WHERE key = ?").execute(arguments: [key])
            return db.changesCount
        }
    }

    /// See ``BridgeStore/purgeTranscripts(before:)``.
    @discardableResult
    package func purgeTranscripts(before date: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM transcript_turns WHERE created_at < ?",
                arguments: [date.timeIntervalSince1970]
            )
            return db.changesCount
        }
    }

    private static func turn(_ row: Row) throws -> (seq: Int64, turn: TranscriptTurn) {
        let role = TranscriptTurn.Role(rawValue: try row.decode(String.self, forColumn: "role")) ?? .user
        let turn = TranscriptTurn(
            role: role,
            text: try row.decode(forColumn: "text"),
            createdAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "created_at"))
        )
        return (try row.decode(forColumn: "seq"), turn)
    }
}
