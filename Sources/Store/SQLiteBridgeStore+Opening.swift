import GRDB
import Logging

extension SQLiteBridgeStore {
    /// Checks the freshly opened database and upgrades its schema, in the order that gives the most precise error:
    /// integrity before schema, schema version before migrating, and a write last.
    static func prepare(
        _ pool: DatabasePool,
        path: String,
        migrations: [SQLiteMigration],
        logger: Logger
    ) throws {
        let migrator = DatabaseMigrator(migrations)
        let applied: Set<String>
        do {
            let problems = try pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
            guard problems == ["ok"] else {
                throw StoreError.corrupt(path: path, detail: problems.prefix(3).joined(separator: "; "))
            }
            applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
        } catch {
            throw StoreError.wrapping(error, path: path)
        }

        let unknown = applied.subtracting(migrator.migrations).sorted()
        guard unknown.isEmpty else {
            throw StoreError(
                code: .newerSchema,
                path: path,
                message: """
                    database "\(path)" was upgraded by a newer goapi-bridge (unknown schema \
                    \(unknown.count == 1 ? "version" : "versions") \(unknown.joined(separator: ", "))); \
                    run that release or a newer one, or restore a backup taken before the upgrade
                    """
            )
        }

        do {
            try migrator.migrate(pool)
        } catch {
            throw StoreError.migrationFailed(error, path: path)
        }

        let pending = migrator.migrations.filter { !applied.contains($0) }
        if !pending.isEmpty {
            logger.info(
                "Migrated store schema",
                metadata: ["store.path": "\(path)", "store.migrations": "\(pending.joined(separator: ","))"]
            )
        }

        let diagnostics: Diagnostics
        do {
            try pool.write(probeWrite)
            diagnostics = try pool.writeWithoutTransaction(readDiagnostics)
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
        logger.info(
            "Opened store",
            metadata: [
                "store.path": "\(path)",
                "store.schema": "\(diagnostics.migrations.last ?? "")",
                "store.journal_mode": "\(diagnostics.journalMode)",
                "store.synchronous": "\(diagnostics.synchronous)",
            ]
        )
    }
}
