import GoAPI
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1))) struct AsyncSemaphoreTests {
    @Test func neverMoreHoldersThanPermits() async throws {
        let semaphore = AsyncSemaphore(permits: 3)
        let counters = Counters()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await semaphore.withPermit {
                        counters.enter()
                        // Holders stay until the section has been full once (within a generous bound), so a slow
                        // machine cannot make them take turns without ever overlapping.
                        let deadline = ContinuousClock.now + .seconds(10)
                        while counters.maximum < 3, ContinuousClock.now < deadline {
                            try await Task.sleep(for: .milliseconds(1))
                        }
                        try await Task.sleep(for: .milliseconds(5))
                        counters.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(counters.maximum == 3)
    }

    @Test func cancelledWaiterLeavesTheQueue() async throws {
        let semaphore = AsyncSemaphore(permits: 1)
        let release = AsyncStream<Void>.makeStream()
        let held = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await semaphore.withPermit {
                held.continuation.yield()
                for await _ in release.stream { break }
            }
        }
        for await _ in held.stream { break }
        let waiter = Task { try await semaphore.withPermit { "acquired" } }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        release.continuation.yield()
        try await holder.value
        #expect(try await semaphore.withPermit { "free again" } == "free again")
    }
}

/// Tracks how many tasks are inside a section at once.
private final class Counters: Sendable {
    private let state = Mutex((current: 0, maximum: 0))

    var maximum: Int { self.state.withLock { $0.maximum } }

    func enter() {
        self.state.withLock {
            $0.current += 1
            $0.maximum = max($0.maximum, $0.current)
        }
    }

    func leave() {
        self.state.withLock { $0.current -= 1 }
    }
}
