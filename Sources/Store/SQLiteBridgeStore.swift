import Foundation
import GRDB
import Logging
import Synchronization

/// The production store: one SQLite file, opened through a GRDB `DatabasePool`.
///
/// The database runs in WAL mode with `synchronous = NORMAL`. In that combination a transaction is durable against a
/// crash of the process as soon as it commits, because the commit has been written to the WAL file and the
/// operating system keeps it even if the process dies before a checkpoint; only a power loss or kernel crash can
/// lose the last few commits, never corrupt the file. That trade is right for a chat bridge, where `FULL` would add
/// an fsync to every reply and seen delivery id. WAL also lets readers (`!gpt status`, readiness checks) run while
/// a write is in progress.
///
/// Each write is one `BEGIN IMMEDIATE` transaction on the pool's single writer connection, so concurrent calls are
/// serialised and read-then-write operations such as
/// ``rememberDelivery(scope:id:acknowledgement:expiresAt:now:)`` are atomic, even against another process using
/// the same file.
///
/// Channel settings and the conversation map are read on every question, and only this store writes them, so it
/// keeps what it has read or written in memory (``RowCache``). Rows changed by another process while the bridge
/// runs (an operator's `sqlite3` shell) are therefore seen after a restart.
package final class SQLiteBridgeStore: BridgeStore {
    /// The database file, named in every error.
    package let path: String
    /// Set once ``close()`` succeeded, so later calls fail with ``StoreError/Code/closed`` rather than an SQLite
    /// misuse error.
    private let isClosed = Mutex(false)
    /// The connections: one writer, several readers.
    let pool: DatabasePool
    /// Where opening, migrations and closing are reported.
    private let logger: Logger
    /// Keeps a second bridge off this database while it is open.
    private let instanceLock: InstanceLock
    /// Accepts waiting for the next group commit.
    let acceptBatcher = AcceptBatcher()
    /// Channel settings by conversation key, read on every question (see ``RowCache``).
    let settingsCache = RowCache<ByteString, ChannelSettings>(capacity: 1_000)
    /// Conversation records by key, GPT and model, read on every question (see ``RowCache``).
    let conversationCache = RowCache<ConversationSlot, ConversationRecord>(capacity: 1_000)

    /// Opens the database at `path`, creating the file if it does not exist (its directory must), and brings its
    /// schema up to date.
    ///
    /// Opening checks everything that would otherwise fail later: that the file is a readable SQLite database
    /// (`PRAGMA quick_check`), that no newer release has upgraded it, that the migrations apply, and that a write
    /// commits. Throws ``StoreError`` naming the file and what to do about it.
    package convenience init(path: String, logger: Logger) throws {
        try self.init(path: path, logger: logger, migrations: SQLiteMigration.all)
    }

    /// Opens the database with an explicit schema history; tests use it to stand in for a newer release.
    ///
    /// `busyTimeout` is how long a write waits for a lock another process holds; tests shorten it.
    init(path: String, logger: Logger, migrations: [SQLiteMigration], busyTimeout: TimeInterval = 5) throws {
        guard !path.isEmpty else {
            throw StoreError(
                code: .cannotOpen,
                path: path,
                message: "the database path is empty; set storage.sqlitePath to a file path"
            )
        }
        var configuration = Configuration()
        configuration.label = "goapi-bridge.store"
        // Another process (an operator's `sqlite3` shell, a backup) may hold the write lock briefly.
        configuration.busyMode = .timeout(busyTimeout)
        // Reads are short and few at a time (the hot rows are also kept in memory), so three readers suffice; each
        // connection's page cache is capped at 1 MiB instead of SQLite's 2 MiB, so a database grown by months of
        // conversations does not grow the process with it (the operating system caches the file anyway).
        configuration.maximumReaderCount = 3
        configuration.prepareDatabase { db in
            // GRDB picks NORMAL for WAL pools too; the type's documentation says why this store depends on it.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            try db.execute(sql: "PRAGMA cache_size = -1024")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
        let instanceLock: InstanceLock
        do {
            instanceLock = try InstanceLock(databasePath: path)
            try Self.prepare(pool, path: path, migrations: migrations, logger: logger)
        } catch {
            try? pool.close()
            throw error
        }
        self.path = path
        self.pool = pool
        self.logger = logger
        self.instanceLock = instanceLock
    }

    /// Copies the WAL into the main file and closes the database connections.
    ///
    /// Synchronous because closing waits for the connections to finish and is called once, at shutdown (also from
    /// `defer` blocks). Later calls on the store throw ``StoreError/Code/closed``; closing twice does nothing.
    package func close() throws {
        guard !isClosed.withLock({ $0 }) else { return }
        do {
            // The pool closes its writer before its read-only connections, so SQLite's automatic checkpoint at the
            // last close cannot run. Without this one the latest commits would stay in the -wal file, and a copy of
            // the main file alone (a careless backup) would miss them. The commits are safe in the WAL either way,
            // so a failed checkpoint is only reported.
            try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        } catch {
            logger.info(
                "Could not checkpoint store before closing",
                metadata: ["store.path": "\(path)", "store.error": "\(StoreError.wrapping(error, path: path))"]
            )
        }
        do {
            try pool.close()
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
        isClosed.withLock { $0 = true }
        instanceLock.release()
        logger.debug("Closed store", metadata: ["store.path": "\(path)"])
    }

    /// Lets SQLite give back its page and statement caches (reader connections are closed and reopened on the next
    /// read). Returns at once; the memory is freed shortly after. For quiet moments, before the heap is trimmed.
    package func releaseMemory() {
        guard !isClosed.withLock({ $0 }) else { return }
        pool.releaseMemoryEventually()
    }

    /// Commits a one-row update to the `health` table, so a full disk or a read-only file system shows up here.
    package func checkWritable() async throws {
        try await write(Self.probeWrite)
    }

    /// The write ``checkWritable()`` performs, also run while opening.
    static func probeWrite(_ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO health (id, probes) VALUES (1, 1)
                ON CONFLICT (id) DO UPDATE SET probes = probes + 1
                """
        )
    }

    /// Runs `body` on a reader connection, turning failures into ``StoreError``.
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try checkOpen()
        do {
            return try await pool.read(body)
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
    }

    /// Runs `body` in an immediate write transaction, turning failures into ``StoreError``.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try checkOpen()
        do {
            return try await pool.write(body)
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
    }

    /// Runs `body` on the writer connection outside a transaction, for statements that must not run in one.
    func writeWithoutTransaction<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try checkOpen()
        do {
            return try await pool.writeWithoutTransaction(body)
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
    }

    /// Throws ``StoreError/Code/closed`` once the store is closed.
    func checkOpen() throws {
        if isClosed.withLock({ $0 }) {
            throw StoreError(
                code: .closed,
                path: path,
                message: "database \"\(path)\" is already closed; the store was used after shutdown began"
            )
        }
    }
}
