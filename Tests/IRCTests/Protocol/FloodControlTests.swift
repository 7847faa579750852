import IRC
import Testing

@Suite struct FloodControlTests {
    typealias Bucket = FloodControl<String, TestInstant>

    /// Calls `next` at `time` until it stops sending; returns the lines sent and the final action.
    static func drain(_ bucket: inout Bucket, at time: Double) -> (sent: [String], then: Bucket.Action) {
        var sent: [String] = []
        while true {
            switch bucket.next(now: .at(time)) {
            case .send(let line, _):
                sent.append(line)
            case let other:
                return (sent, other)
            }
        }
    }

    @Test func burstThenOneLinePerInterval() {
        var bucket = Bucket()
        bucket.enqueue(contentsOf: (1...8).map { "line \($0)" }, target: "#a")
        var step = Self.drain(&bucket, at: 0)
        #expect(step.sent == ["line 1", "line 2", "line 3", "line 4"])
        #expect(step.then == .wait(until: .at(2)))
        step = Self.drain(&bucket, at: 1.9)
        #expect(step.sent.isEmpty)
        #expect(step.then == .wait(until: .at(2)))
        step = Self.drain(&bucket, at: 2)
        #expect(step.sent == ["line 5"])
        #expect(step.then == .wait(until: .at(4)))
        step = Self.drain(&bucket, at: 4.5)
        #expect(step.sent == ["line 6"])
        #expect(step.then == .wait(until: .at(6)), "the half-earned token keeps counting from 4 s")
        step = Self.drain(&bucket, at: 8.2)
        #expect(step.sent == ["line 7", "line 8"])
        #expect(step.then == .idle)
        #expect(bucket.queueDepth == 0)
    }

    @Test func aQuietSpellRefillsTheBurstButNoMore() {
        var bucket = Bucket()
        bucket.enqueue(contentsOf: (1...4).map { "a\($0)" }, target: "#a")
        #expect(Self.drain(&bucket, at: 0).sent.count == 4)
        bucket.enqueue(contentsOf: (1...10).map { "b\($0)" }, target: "#a")
        let step = Self.drain(&bucket, at: 600)
        #expect(step.sent == ["b1", "b2", "b3", "b4"])
        #expect(step.then == .wait(until: .at(602)))
    }

    @Test func roundRobinSharesThePaceBetweenChannels() {
        var bucket = Bucket()
        bucket.enqueue(contentsOf: (1...20).map { "big \($0)" }, target: "#big")
        bucket.enqueue(contentsOf: ["small 1", "small 2"], target: "#small")
        var order: [String] = []
        var time = 0.0
        while order.count < 22 {
            let step = Self.drain(&bucket, at: time)
            order += step.sent
            time += 2
        }
        #expect(Array(order.prefix(4)) == ["big 1", "small 1", "big 2", "small 2"])
        #expect(Array(order.dropFirst(4)) == (3...20).map { "big \($0)" })
        #expect(Self.drain(&bucket, at: time).then == .idle)
    }

    @Test func aLateTargetJoinsTheRotation() {
        var bucket = Bucket()
        bucket.enqueue(contentsOf: (1...10).map { "a\($0)" }, target: "#a")
        #expect(Self.drain(&bucket, at: 0).sent == ["a1", "a2", "a3", "a4"])
        bucket.enqueue("b1", target: "#b")
        #expect(Self.drain(&bucket, at: 2).sent == ["a5"])
        #expect(Self.drain(&bucket, at: 4).sent == ["b1"], "#b waits one turn, not behind all of #a")
        #expect(bucket.queueDepth(for: "#b") == 0)
        #expect(bucket.queueDepth(for: "#a") == 5)
    }

    @Test func expiredLinesAreDroppedAndReported() {
        var bucket = Bucket()
        bucket.enqueue(contentsOf: (1...10).map { "old \($0)" }, target: "#a", expiresAt: .at(5))
        bucket.enqueue("keep", target: "#b")
        bucket.enqueue("fresh", target: "#a", expiresAt: .at(60))
        #expect(Self.drain(&bucket, at: 0).sent == ["old 1", "keep", "old 2", "old 3"])
        #expect(bucket.queueDepth == 8)
        #expect(bucket.next(now: .at(6)) == .expired((4...10).map { "old \($0)" }, target: "#a"))
        #expect(bucket.queueDepth == 1)
        #expect(bucket.next(now: .at(6)) == .send("fresh", target: "#a"))
        #expect(bucket.next(now: .at(6)) == .idle)
    }

    @Test func expiryEmptyingEveryQueueLeavesTheBucketIdle() {
        var bucket = Bucket()
        bucket.enqueue(contentsOf: ["x", "y"], target: "#a", expiresAt: .at(1))
        bucket.enqueue("z", target: "#b", expiresAt: .at(1))
        #expect(bucket.next(now: .at(1)) == .expired(["x", "y"], target: "#a"))
        #expect(bucket.next(now: .at(1)) == .expired(["z"], target: "#b"))
        #expect(bucket.next(now: .at(1)) == .idle)
        #expect(bucket.queueDepth == 0)
    }

    @Test func aFullQueueRefusesTheWholeBatch() {
        var bucket = Bucket(configuration: .init(maximumQueueDepthPerTarget: 5))
        #expect(bucket.enqueue(contentsOf: ["1", "2", "3"], target: "#a") == .queued(depth: 3))
        #expect(bucket.enqueue(contentsOf: ["4", "5", "6"], target: "#a") == .full)
        #expect(bucket.queueDepth(for: "#a") == 3)
        #expect(bucket.enqueue(contentsOf: ["4", "5"], target: "#a") == .queued(depth: 5))
        #expect(bucket.enqueue("x", target: "#b") == .queued(depth: 1), "the bound is per target")
    }

    @Test func customPace() {
        var bucket = Bucket(configuration: .init(burst: 1, interval: .milliseconds(500)))
        bucket.enqueue(contentsOf: ["1", "2", "3"], target: "nick")
        #expect(Self.drain(&bucket, at: 0).sent == ["1"])
        #expect(Self.drain(&bucket, at: 0.5).sent == ["2"])
        #expect(Self.drain(&bucket, at: 0.9).then == .wait(until: .at(1)))
    }
}
