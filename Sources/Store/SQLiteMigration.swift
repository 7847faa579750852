import GRDB

/// One step of the SQLite schema's history, identified by a name that is recorded in the database once applied.
///
/// Steps are append-only: a released step is never edited, so every database reaches the same schema whatever
/// version it started from. A database that records a step this build does not know was written by a newer
/// release, and opening it fails with ``StoreError/Code/newerSchema``.
struct SQLiteMigration: Sendable {
    /// The name recorded in `grdb_migrations`, such as `v1`.
    var identifier: String
    /// The statements of the step; they run in one transaction with the recording of `identifier`.
    var sql: String

    /// Every step this build knows, oldest first.
    static let all: [SQLiteMigration] = [.v1, .transcripts]

    /// The first schema. Dates are REAL seconds since 1970 (`datetime(created_at, 'unixepoch')` reads them), which
    /// keeps them exact to well under a microsecond.
    static let v1 = SQLiteMigration(
        identifier: "v1",
        sql: """
            CREATE TABLE conversations (
                key TEXT NOT NULL,
                gizmo_id TEXT NOT NULL, -- '' when no GPT is selected: a primary key column cannot be NULL
                model TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL,
                PRIMARY KEY (key, gizmo_id, model)
            );
            CREATE TABLE channel_settings (
                key TEXT NOT NULL PRIMARY KEY,
                gizmo_choice TEXT NOT NULL CHECK (gizmo_choice IN ('inherit', 'none', 'id')),
                gizmo_id TEXT CHECK ((gizmo_choice = 'id') = (gizmo_id IS NOT NULL)),
                model TEXT,
                updated_at REAL NOT NULL
            );
            CREATE TABLE outbox (
                id TEXT NOT NULL PRIMARY KEY,
                target TEXT NOT NULL,
                payload BLOB NOT NULL,
                created_at REAL NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at REAL NOT NULL,
                last_error TEXT
            );
            CREATE INDEX outbox_due ON outbox (next_attempt_at, created_at, id);
            CREATE TABLE dead_letters (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL,
                target TEXT NOT NULL,
                payload_bytes INTEGER NOT NULL,
                created_at REAL NOT NULL,
                attempts INTEGER NOT NULL,
                last_error TEXT,
                reason TEXT NOT NULL,
                abandoned_at REAL NOT NULL
            );
            CREATE INDEX dead_letters_abandoned ON dead_letters (abandoned_at);
            CREATE TABLE seen_deliveries (
                scope TEXT NOT NULL,
                id TEXT NOT NULL,
                acknowledgement BLOB,
                first_seen_at REAL NOT NULL,
                expires_at REAL NOT NULL,
                PRIMARY KEY (scope, id)
            );
            CREATE INDEX seen_deliveries_expiry ON seen_deliveries (expires_at);
            CREATE TABLE health (
                id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                probes INTEGER NOT NULL
            );
            """
    )
}

extension SQLiteMigration {
    /// Recent history per conversation, the backup model's context. `seq` orders turns even within one instant.
    static let transcripts = SQLiteMigration(
        identifier: "transcripts",
        sql: """
            CREATE TABLE transcript_turns (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
                text TEXT NOT NULL,
                created_at REAL NOT NULL
            );
            CREATE INDEX transcript_turns_key ON transcript_turns (key, seq);
            CREATE INDEX transcript_turns_age ON transcript_turns (created_at);
            """
    )
}

extension DatabaseMigrator {
    /// A migrator that applies `migrations` in order.
    init(_ migrations: [SQLiteMigration]) {
        self.init()
        for migration in migrations {
            registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql)
            }
        }
    }
}
