import Bridge
import BridgeTesting
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1))) struct KeyedSerializerTests {
    /// Records which keys are running, to prove one-at-a-time per key and parallelism across keys.
    final class Tracker: Sendable {
        private let state = Mutex((running: [String: Int](), maximum: [String: Int](), order: [Int]()))

        func enter(_ key: String, _ id: Int) {
            self.state.withLock {
                $0.running[key, default: 0] += 1
                $0.maximum[key] = max($0.maximum[key] ?? 0, $0.running[key]!)
                $0.order.append(id)
            }
        }

        func leave(_ key: String) {
            self.state.withLock { $0.running[key, default: 0] -= 1 }
        }

        var maximum: [String: Int] { self.state.withLock { $0.maximum } }
    }

    /// Records the order in which work ran.
    final class Recorder: Sendable {
        private let state = Mutex<[String]>([])

        func append(_ name: String) {
            self.state.withLock { $0.append(name) }
        }

        var names: [String] { self.state.withLock { $0 } }
    }

    @Test func oneAtATimePerKey() async {
        let serializer = KeyedSerializer(limit: 10)
        let tracker = Tracker()
        await withTaskGroup(of: Int?.self) { group in
            for id in 0..<8 {
                let key = id % 2 == 0 ? "thread-a" : "thread-b"
                group.addTask {
                    try? await serializer.run(key) {
                        tracker.enter(key, id)
                        try? await Task.sleep(for: .milliseconds(5))
                        tracker.leave(key)
                        return id
                    }
                }
            }
        }
        #expect(tracker.maximum == ["thread-a": 1, "thread-b": 1])
    }

    @Test func refusesWhenNoMoreMayWait() async throws {
        let serializer = KeyedSerializer(limit: 0)
        let release = AsyncStream<Void>.makeStream()
        let started = AsyncStream<Void>.makeStream()
        async let first: Int? = try serializer.run("k") {
            started.continuation.yield()
            for await _ in release.stream { break }
            return 1
        }
        for await _ in started.stream { break }
        #expect(try await serializer.run("k") { 2 } == nil, "refused while the thread is busy and no one may wait")
        #expect(try await serializer.run("other") { 3 } == 3, "other threads are unaffected")
        release.continuation.yield()
        #expect(try await first == 1)
        #expect(try await serializer.run("k") { 4 } == 4, "the thread is free again")
    }

    @Test func aWaiterCancelledLeavesTheLineAtOnceAndTheRestKeepTheirTurns() async throws {
        let serializer = KeyedSerializer(limit: 5)
        let release = AsyncStream<Void>.makeStream()
        let started = AsyncStream<Void>.makeStream()
        let ran = Recorder()
        let running = Task {
            try await serializer.run("k") {
                started.continuation.yield()
                for await _ in release.stream { break }
                ran.append("running")
            }
        }
        for await _ in started.stream { break }
        let cancelled = Task { try await serializer.run("k") { ran.append("cancelled") } }
        try await waitUntil("the first waiter queued") { serializer.waitingCount(for: "k") == 1 }
        let kept = Task { try await serializer.run("k") { ran.append("kept") } }
        try await waitUntil("the second waiter queued") { serializer.waitingCount(for: "k") == 2 }

        cancelled.cancel()
        await #expect(throws: CancellationError.self, "while the lane is still busy") {
            try await cancelled.value
        }
        #expect(serializer.waitingCount(for: "k") == 1)
        release.continuation.yield()
        _ = try await (running.value, kept.value)
        #expect(ran.names == ["running", "kept"], "the cancelled one never ran, nor held up the next")
        #expect(try await serializer.run("k") { 5 } == 5, "the lane is free again")
    }

    @Test func aTaskCancelledBeforeItArrivesDoesNotWait() async throws {
        let serializer = KeyedSerializer(limit: 5)
        let release = AsyncStream<Void>.makeStream()
        let started = AsyncStream<Void>.makeStream()
        let running = Task {
            try await serializer.run("k") {
                started.continuation.yield()
                for await _ in release.stream { break }
            }
        }
        for await _ in started.stream { break }
        let late = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await serializer.run("k") { 1 }
        }
        await #expect(throws: CancellationError.self) { try await late.value }
        #expect(serializer.waitingCount(for: "k") == 0)
        release.continuation.yield()
        _ = try await running.value
    }
}
