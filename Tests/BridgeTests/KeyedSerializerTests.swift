import Bridge
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

    @Test func oneAtATimePerKey() async {
        let serializer = KeyedSerializer(limit: 10)
        let tracker = Tracker()
        await withTaskGroup(of: Int?.self) { group in
            for id in 0..<8 {
                let key = id % 2 == 0 ? "thread-a" : "thread-b"
                group.addTask {
                    await serializer.run(key) {
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

    @Test func refusesWhenNoMoreMayWait() async {
        let serializer = KeyedSerializer(limit: 0)
        let release = AsyncStream<Void>.makeStream()
        let started = AsyncStream<Void>.makeStream()
        async let first: Int? = serializer.run("k") {
            started.continuation.yield()
            for await _ in release.stream { break }
            return 1
        }
        for await _ in started.stream { break }
        #expect(await serializer.run("k") { 2 } == nil, "refused while the thread is busy and no one may wait")
        #expect(await serializer.run("other") { 3 } == 3, "other threads are unaffected")
        release.continuation.yield()
        #expect(await first == 1)
        #expect(await serializer.run("k") { 4 } == 4, "the thread is free again")
    }
}
