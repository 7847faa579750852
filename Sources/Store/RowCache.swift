import Synchronization

/// Rows this process has read or written, kept so the question path does not ask SQLite again for rows that only
/// this process changes (a channel's settings, a conversation id): each read from the pool costs two thread
/// switches, which on a small machine is a good part of the bridge's own latency per question.
///
/// Correct as long as every write to the cached rows goes through the owning store, which updates the cache when
/// its transaction commits, on the writer's queue, so updates arrive in commit order. A read that started before a write must not put its (possibly older) result in the
/// cache afterwards; every update therefore bumps a generation, and a read only fills the cache if the generation is
/// unchanged since it began. The cache forgets everything when it reaches `capacity` entries, which bounds its
/// memory without bookkeeping on the hot path.
final class RowCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        /// The rows by key; a stored nil means "no such row", which is cached too.
        var entries: [Key: Value?] = [:]
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    /// The row for `key`, from the cache or else from `load`, whose result is then remembered.
    func value(for key: Key, load: () async throws -> Value?) async throws -> Value? {
        let (cached, generation) = self.state.withLock { state in (state.entries[key], state.generation) }
        if let cached { return cached }
        let loaded = try await load()
        self.state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= self.capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = .some(loaded)
        }
        return loaded
    }

    /// Records what a committed write left for `key` (nil: no row).
    func store(_ value: Value?, for key: Key) {
        self.state.withLock { state in
            state.generation &+= 1
            if state.entries.count >= self.capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = .some(value)
        }
    }

    /// Forgets the keys `matches` selects, after a write that changed rows it cannot name one by one.
    func forget(where matches: (Key) -> Bool) {
        self.state.withLock { state in
            state.generation &+= 1
            state.entries = state.entries.filter { !matches($0.key) }
        }
    }
}
