import Foundation
import GRDB
import Synchronization
import Testing

@testable import Store

@Suite struct SQLiteBridgeStoreTests {
    @Test func everythingSurvivesARestart() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("bridge.sqlite")
            let delivery = OutboxDelivery(
                id: "msg_1",
                target: "webhook:/hooks/team",
                payload: Data("reply".utf8),
                createdAt: at(0)
            )
            let settings = ChannelSettings(key: "irc:libera:#design", gizmo: .none, model: "gpt-4o", updatedAt: at(1))

            let first = try SQLiteBridgeStore(path: path, logger: .quiet)
            try await first.saveConversation(
                key: "irc:libera:#design",
                gizmoID: "g-1",
                model: "gpt-4o",
                conversationID: "c-1",
                now: at(0)
            )
            try await first.saveChannelSettings(settings)
            try await first.enqueue(delivery)
            try await first.enqueue(OutboxDelivery(id: "dropped", target: "t", payload: Data(), createdAt: at(0)))
            try await first.abandon(id: "dropped", reason: "410 Gone", now: at(2))
            #expect(try await first.remember("Ev1", ack: Data("ack".utf8), expires: 60, now: 0) == .new)
            try first.close()

            let second = try SQLiteBridgeStore(path: path, logger: .quiet)
            defer { try? second.close() }
            let conversation = try await second.conversation(key: "irc:libera:#design", gizmoID: "g-1", model: "gpt-4o")
            #expect(conversation?.conversationID == "c-1")
            #expect(try await second.channelSettings(key: "irc:libera:#design") == settings)
            #expect(try await second.dueDeliveries(now: at(0), limit: 10) == [delivery])
            #expect(try await second.deadLetters(limit: 10).map(\.reason) == ["410 Gone"])
            #expect(try await second.remember("Ev1", expires: 60, now: 1) == .seen(acknowledgement: Data("ack".utf8)))
        }
    }

    @Test func databaseUsesWALWithNormalSynchronousAndRecordsItsSchema() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteBridgeStore(path: directory.file("bridge.sqlite"), logger: .quiet)
            defer { try? store.close() }
            let diagnostics = try await store.diagnostics()
            #expect(diagnostics.journalMode == "wal")
            #expect(diagnostics.synchronous == "normal")
            #expect(diagnostics.migrations == SQLiteMigration.all.map(\.identifier))
        }
    }

    @Test func garbageFileIsReportedAsCorruptWithItsPath() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("garbage.sqlite")
            let garbage = Data(String(repeating: "this is not a database\n", count: 400).utf8)
            try garbage.write(to: URL(fileURLWithPath: path))

            let error = try #require(throws: StoreError.self) { try SQLiteBridgeStore(path: path, logger: .quiet) }
            #expect(error.code == .corrupt)
            #expect(error.message.contains("\"\(path)\""))
            #expect(error.message.contains("restore it from a backup"))
            // The file is left for the operator to inspect or restore.
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
        }
    }

    @Test func damagedDatabaseIsReportedAsCorruptAtOpen() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("damaged.sqlite")
            let store = try SQLiteBridgeStore(path: path, logger: .quiet)
            for index in 0..<200 {
                try await store.saveConversation(
                    key: "irc:n:#channel-\(index)",
                    gizmoID: nil,
                    model: "gpt-4o",
                    conversationID: String(repeating: "c", count: 100),
                    now: at(0)
                )
            }
            try store.close()

            // Keep the header and the first page intact, scribble over the rest.
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            try #require(bytes.count > 8192)
            bytes.replaceSubrange(4096..<bytes.count, with: Data(repeating: 0xA5, count: bytes.count - 4096))
            try bytes.write(to: URL(fileURLWithPath: path))

            let error = try #require(throws: StoreError.self) { try SQLiteBridgeStore(path: path, logger: .quiet) }
            #expect(error.code == .corrupt)
            #expect(error.message.contains("\"\(path)\""))
        }
    }

    @Test func truncatedDatabaseIsReportedAsCorruptAtOpen() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("truncated.sqlite")
            let store = try SQLiteBridgeStore(path: path, logger: .quiet)
            for index in 0..<200 {
                try await store.enqueue(
                    OutboxDelivery(id: "d-\(index)", target: "t", payload: Data(count: 200), createdAt: at(0))
                )
            }
            try store.close()

            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))

            let error = try #require(throws: StoreError.self) { try SQLiteBridgeStore(path: path, logger: .quiet) }
            #expect(error.code == .corrupt)
        }
    }

    @Test func missingDirectoryIsNamedInTheError() async throws {
        try await withTemporaryDirectory { directory in
            let missing = directory.file("no-such-dir")
            let path = (missing as NSString).appendingPathComponent("bridge.sqlite")

            let error = try #require(throws: StoreError.self) { try SQLiteBridgeStore(path: path, logger: .quiet) }
            #expect(error.code == .cannotOpen)
            #expect(error.message.contains("\"\(path)\""))
            #expect(error.message.contains("directory \"\(missing)\" does not exist"))
            #expect(!FileManager.default.fileExists(atPath: missing))
        }
    }

    @Test func directoryPathIsRejected() async throws {
        try await withTemporaryDirectory { directory in
            let error = try #require(throws: StoreError.self) {
                try SQLiteBridgeStore(path: directory.path, logger: .quiet)
            }
            #expect(error.code == .cannotOpen)
            #expect(error.message.contains("it is a directory"))
        }
    }

    @Test func emptyPathIsRejected() throws {
        let error = try #require(throws: StoreError.self) { try SQLiteBridgeStore(path: "", logger: .quiet) }
        #expect(error.code == .cannotOpen)
        #expect(error.message.contains("storage.sqlitePath"))
    }

    @Test func databaseFromANewerReleaseIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("bridge.sqlite")
            let future = SQLiteMigration(identifier: "v2", sql: "CREATE TABLE from_the_future (x INTEGER)")
            let newer = try SQLiteBridgeStore(path: path, logger: .quiet, migrations: SQLiteMigration.all + [future])
            try await newer.saveConversation(key: "k", gizmoID: nil, model: "m", conversationID: "c", now: at(0))
            try newer.close()

            let error = try #require(throws: StoreError.self) { try SQLiteBridgeStore(path: path, logger: .quiet) }
            #expect(error.code == .newerSchema)
            #expect(error.message.contains("\"\(path)\""))
            #expect(error.message.contains("v2"))

            // Refusing left the data alone: the newer release still finds it.
            let again = try SQLiteBridgeStore(path: path, logger: .quiet, migrations: SQLiteMigration.all + [future])
            defer { try? again.close() }
            #expect(try await again.conversation(key: "k", gizmoID: nil, model: "m")?.conversationID == "c")
        }
    }

    /// Two bridges on one database would each keep their own copy of the conversation map, and one would replace a
    /// conversation the other stored: the second is refused, naming the first's process, until the first is gone.
    @Test func aSecondBridgeOnTheSameDatabaseIsRefusedUntilTheFirstCloses() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("bridge.sqlite")
            let first = try SQLiteBridgeStore(path: path, logger: .quiet)
            let error = try #require(throws: StoreError.self) { try SQLiteBridgeStore(path: path, logger: .quiet) }
            #expect(error.code == .inUse)
            #expect(error.message.contains("\"\(path)\""))
            #expect(error.message.contains("process \(getpid())"))

            // An operator's `sqlite3` shell is not kept out.
            let shell = try DatabaseQueue(path: path)
            #expect(try shell.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") } ?? 0 > 0)
            try shell.close()

            try first.close()
            let second = try SQLiteBridgeStore(path: path, logger: .quiet)
            try second.close()
        }
    }

    /// A link to the database, or to its directory, is the same database: the second bridge is refused there too.
    @Test func aSecondBridgeReachingTheDatabaseThroughALinkIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let data = directory.file("data")
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            let path = data + "/bridge.sqlite"
            let first = try SQLiteBridgeStore(path: path, logger: .quiet)
            defer { try? first.close() }
            try FileManager.default.createSymbolicLink(atPath: directory.file("linked-dir"), withDestinationPath: data)
            try FileManager.default.createSymbolicLink(
                atPath: directory.file("linked.sqlite"),
                withDestinationPath: path
            )
            for other in [
                directory.file("linked-dir") + "/bridge.sqlite", directory.file("linked.sqlite"),
                data + "/../data/./bridge.sqlite",
            ] {
                let error = try #require(throws: StoreError.self, "\(other)") {
                    try SQLiteBridgeStore(path: other, logger: .quiet)
                }
                #expect(error.code == .inUse, "\(other)")
                #expect(error.message.contains("\"\(other)\""), "the error names the path as configured")
            }
        }
    }

    @Test func failingMigrationIsReportedAndRolledBack() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("bridge.sqlite")
            try SQLiteBridgeStore(path: path, logger: .quiet).close()

            let broken = SQLiteMigration(
                identifier: "v2",
                sql: "CREATE TABLE added (x INTEGER); INSERT INTO no_such_table VALUES (1)"
            )
            let error = try #require(throws: StoreError.self) {
                try SQLiteBridgeStore(path: path, logger: .quiet, migrations: SQLiteMigration.all + [broken])
            }
            #expect(error.code == .migrationFailed)
            #expect(error.message.contains("no_such_table"))

            let store = try SQLiteBridgeStore(path: path, logger: .quiet)
            defer { try? store.close() }
            #expect(try await store.diagnostics().migrations == SQLiteMigration.all.map(\.identifier))
        }
    }

    @Test func aFirstReleaseDatabaseIsUpgradedKeepingItsConversations() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("bridge.sqlite")
            let old = try SQLiteBridgeStore(path: path, logger: .quiet, migrations: [.v1])
            try await old.saveConversation(key: "k", gizmoID: nil, model: "gpt-4o", conversationID: "c1", now: at(0))
            try old.close()

            let store = try SQLiteBridgeStore(path: path, logger: .quiet)
            defer { try? store.close() }
            #expect(try await store.conversation(key: "k", gizmoID: nil, model: "gpt-4o")?.conversationID == "c1")
            let turn = TranscriptTurn(role: .user, text: "hello", createdAt: at(1))
            try await store.appendTranscript(key: "k", turns: [turn], limits: .init(maxTurns: 5, maxCharacters: 100))
            #expect(try await store.transcript(key: "k", since: at(0)) == [turn])
            let page = ReplyPage(id: "p", text: "text", createdAt: at(0), expiresAt: at(10))
            try await store.saveReplyPage(page)
            #expect(try await store.replyPage(id: "p", now: at(5)) == page)
        }
    }

    @Test func closedStoreRefusesCalls() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteBridgeStore(path: directory.file("bridge.sqlite"), logger: .quiet)
            try store.close()
            try store.close()
            let error = await #expect(throws: StoreError.self) { try await store.checkWritable() }
            #expect(error?.code == .closed)
        }
    }

    @Test func rowsHeldInMemoryAreNotServedOnceClosed() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteBridgeStore(path: directory.file("bridge.sqlite"), logger: .quiet)
            try await store.saveConversation(key: "k", gizmoID: nil, model: "gpt-4o", conversationID: "c", now: at(0))
            #expect(try await store.conversation(key: "k", gizmoID: nil, model: "gpt-4o")?.conversationID == "c")
            #expect(try await store.channelSettings(key: "k") == nil)
            try store.close()
            let conversation = await #expect(throws: StoreError.self) {
                try await store.conversation(key: "k", gizmoID: nil, model: "gpt-4o")
            }
            #expect(conversation?.code == .closed)
            let settings = await #expect(throws: StoreError.self) { try await store.channelSettings(key: "k") }
            #expect(settings?.code == .closed)
        }
    }

    @Test func whatOneLifeWroteIsReadFromTheFileByTheNext() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("bridge.sqlite")
            let first = try SQLiteBridgeStore(path: path, logger: .quiet)
            #expect(try await first.conversation(key: "k", gizmoID: nil, model: "gpt-4o") == nil)
            try await first.saveConversation(key: "k", gizmoID: nil, model: "gpt-4o", conversationID: "c", now: at(0))
            try await first.deleteConversations(key: "gone")
            try first.close()
            let second = try SQLiteBridgeStore(path: path, logger: .quiet)
            defer { try? second.close() }
            #expect(try await second.conversation(key: "k", gizmoID: nil, model: "gpt-4o")?.conversationID == "c")
        }
    }

    @Test func releasingMemoryKeepsEveryRowReadable() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("bridge.sqlite")
            let store = try SQLiteBridgeStore(path: path, logger: .quiet)
            try await store.saveConversation(key: "k", gizmoID: nil, model: "gpt-4o", conversationID: "c", now: at(0))
            store.releaseMemory()
            try await store.checkWritable()
            #expect(try await store.conversation(key: "k", gizmoID: nil, model: "gpt-4o")?.conversationID == "c")
            #expect(try Self.conversationInFile(path, key: "k") == "c")
            try store.close()
            store.releaseMemory()
        }
    }

    @Test func whatTheStoreRemembersMatchesTheFileAfterRacingWrites() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("bridge.sqlite")
            let store = try SQLiteBridgeStore(path: path, logger: .quiet)
            defer { try? store.close() }
            // A reset racing the save of a new conversation id: whichever commits last must be what both the store
            // and the file say, or the next question would continue a conversation the file no longer has.
            for round in 0..<30 {
                async let saved = store.saveConversation(
                    key: "k",
                    gizmoID: nil,
                    model: "gpt-4o",
                    conversationID: "c\(round)",
                    now: at(Double(round))
                )
                async let deleted = store.deleteConversations(key: "k")
                _ = try await (saved, deleted)
                let remembered = try await store.conversation(key: "k", gizmoID: nil, model: "gpt-4o")
                #expect(remembered?.conversationID == (try Self.conversationInFile(path, key: "k")), "round \(round)")
            }
        }
    }

    /// The conversation id the file holds for `key` (no GPT, model gpt-4o), read as another process would.
    private static func conversationInFile(_ path: String, key: String) throws -> String? {
        let reader = try DatabaseQueue(path: path)
        defer { try? reader.close() }
        return try reader.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT conversation_id FROM conversations WHERE key = ? AND gizmo_id = '' AND model = 'gpt-4o'",
                arguments: [key]
            )
        }
    }

    @Test func acceptsMeetingALockHeldElsewhereAllFailAtOnce() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("bridge.sqlite")
            let wait = 1.0
            let store = try SQLiteBridgeStore(
                path: path,
                logger: .quiet,
                migrations: SQLiteMigration.all,
                busyTimeout: wait
            )
            defer { try? store.close() }
            // Another process's `BEGIN IMMEDIATE` (an operator's shell, a backup), held until the test lets go.
            let other = try DatabaseQueue(path: path)
            defer { try? other.close() }
            let lock = Mutex((held: false, release: false))
            let holder = Task.detached {
                try await other.writeWithoutTransaction { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    lock.withLock { $0.held = true }
                    while !lock.withLock({ $0.release }) { Thread.sleep(forTimeInterval: 0.01) }
                    try db.execute(sql: "ROLLBACK")
                }
            }
            while !lock.withLock({ $0.held }) { try await Task.sleep(for: .milliseconds(5)) }
            // The store's own writer is busy until all twenty accepts wait, so they form one batch, as a burst
            // does: how they trickle in on a loaded machine must not decide how many batches there are.
            let writerHeld = Mutex(true)
            store.pool.asyncWriteWithoutTransaction { _ in
                while writerHeld.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.005) }
            }

            let (codes, elapsed) = await withTaskGroup(of: StoreError.Code?.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        do {
                            _ = try await BridgeStoreAcceptDeliveryTests.accept(
                                store,
                                BridgeStoreOutboxTests.delivery("q:\(index)"),
                                ids: ["event:\(index)"]
                            )
                            return nil
                        } catch {
                            return (error as? StoreError)?.code
                        }
                    }
                }
                while store.acceptBatcher.pendingCount < 20 { try? await Task.sleep(for: .milliseconds(5)) }
                let started = ContinuousClock.now
                writerHeld.withLock { $0 = false }
                let codes = await group.reduce(into: []) { $0.append($1) }
                return (codes, ContinuousClock.now - started)
            }
            lock.withLock { $0.release = true }
            try await holder.value

            // Every sender hears "busy" after one wait for the batch, not after one wait per request: retried one
            // by one, twenty requests took at least twenty-one waits (21 s). The bound leaves room for a loaded machine.
            #expect(codes == Array(repeating: StoreError.Code.busy, count: 20))
            #expect(elapsed < .seconds(wait * 10), "took \(elapsed)")
            // Once the lock is gone the same store accepts again.
            let accepted = try await BridgeStoreAcceptDeliveryTests.accept(
                store,
                BridgeStoreOutboxTests.delivery("q:after"),
                ids: ["event:after"]
            )
            #expect(accepted == .new)
        }
    }
}
