import GRDB

extension SQLiteBridgeStore {
    /// How the database is set up, as SQLite reports it: logged when the store opens and available to status
    /// pages, so an operator can confirm the durability settings and schema version of a running bridge.
    package struct Diagnostics: Sendable, Hashable {
        /// SQLite's journal mode; `wal` in normal operation.
        package var journalMode: String
        /// The writer connection's `synchronous` level (`off`, `normal`, `full` or `extra`).
        package var synchronous: String
        /// The schema migrations applied to the file, in the order they were applied.
        package var migrations: [String]
    }

    /// Reads the diagnostics on the writer connection, whose `synchronous` level is the one that guards commits.
    package func diagnostics() async throws -> Diagnostics {
        try await writeWithoutTransaction(Self.readDiagnostics)
    }

    /// Reads the diagnostics through `db`.
    static func readDiagnostics(_ db: Database) throws -> Diagnostics {
        let journalMode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
        let level = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
        let synchronous =
            switch level {
            case 0: "off"
            case 1: "normal"
            case 2: "full"
            case 3: "extra"
            default: "unknown (\(level))"
            }
        let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        return Diagnostics(journalMode: journalMode, synchronous: synchronous, migrations: migrations)
    }
}
