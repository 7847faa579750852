import Synchronization
import Testing

@testable import Store

@Suite struct RowCacheTests {
    /// Counts the loads a cache makes, standing in for SQLite.
    final class Loads: Sendable {
        private let count = Mutex(0)
        var total: Int { self.count.withLock { $0 } }
        func load(_ value: String?) -> String? {
            self.count.withLock { $0 += 1 }
            return value
        }
    }

    @Test func aRowIsLoadedOnceThenServedFromMemory() async throws {
        let cache = RowCache<String, String>(capacity: 10)
        let loads = Loads()
        #expect(try await cache.value(for: "#a") { loads.load("gpt-4o") } == "gpt-4o")
        #expect(try await cache.value(for: "#a") { loads.load("stale") } == "gpt-4o")
        #expect(loads.total == 1)
    }

    @Test func aMissingRowIsRememberedAsMissing() async throws {
        let cache = RowCache<String, String>(capacity: 10)
        let loads = Loads()
        #expect(try await cache.value(for: "#a") { loads.load(nil) } == nil)
        #expect(try await cache.value(for: "#a") { loads.load("appeared") } == nil)
        #expect(loads.total == 1)
    }

    @Test func aWriteReplacesWhatWasRead() async throws {
        let cache = RowCache<String, String>(capacity: 10)
        _ = try await cache.value(for: "#a") { "old" }
        cache.store("new", for: "#a")
        #expect(try await cache.value(for: "#a") { "from disk" } == "new")
        cache.store(nil, for: "#a")
        #expect(try await cache.value(for: "#a") { "from disk" } == nil)
    }

    @Test func aReadThatRacesAWriteDoesNotLeaveItsOlderResult() async throws {
        let cache = RowCache<String, String>(capacity: 10)
        // The write commits (and updates the cache) while the read is still on its way back with the old row.
        let raced = try await cache.value(for: "#a") {
            cache.store("written", for: "#a")
            return "read before the write"
        }
        #expect(raced == "read before the write")
        #expect(try await cache.value(for: "#a") { "from disk" } == "written")
    }

    @Test func forgettingMakesTheNextReadLoadAgain() async throws {
        let cache = RowCache<String, String>(capacity: 10)
        _ = try await cache.value(for: "irc:#a|gpt-4o") { "c-1" }
        _ = try await cache.value(for: "irc:#b|gpt-4o") { "c-2" }
        cache.forget { $0.hasPrefix("irc:#a") }
        #expect(try await cache.value(for: "irc:#a|gpt-4o") { "c-3" } == "c-3")
        #expect(try await cache.value(for: "irc:#b|gpt-4o") { "c-4" } == "c-2")
    }

    @Test func aFullCacheStartsOverInsteadOfGrowing() async throws {
        let cache = RowCache<Int, Int>(capacity: 3)
        let loads = Loads()
        for key in 0..<4 { _ = try await cache.value(for: key) { loads.load("\(key)").map { Int($0)! } } }
        #expect(loads.total == 4)
        // Key 3 arrived after the reset; keys 0–2 went with it and are loaded again.
        _ = try await cache.value(for: 3) { loads.load("3").map { Int($0)! } }
        #expect(loads.total == 4)
        _ = try await cache.value(for: 0) { loads.load("0").map { Int($0)! } }
        #expect(loads.total == 5)
    }

    @Test func aFailedLoadIsNotRemembered() async throws {
        struct DiskError: Error {}
        let cache = RowCache<String, String>(capacity: 10)
        await #expect(throws: DiskError.self) { try await cache.value(for: "#a") { throw DiskError() } }
        #expect(try await cache.value(for: "#a") { "recovered" } == "recovered")
    }
}
