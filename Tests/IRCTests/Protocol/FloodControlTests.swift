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

    /// Runs a pretend connection on a 0.25 s grid up to `until`: replies are queued at their times, the queue is
    /// drained as the bucket allows, and then, if `typing`, a best-effort line is tried at every step. Returns
    /// every line written, with its time.
    static func replay(
        _ replies: [(at: Double, lines: [String])],
        typing: Bool,
        until: Double
    ) -> [(time: Double, line: String)] {
        var bucket = Bucket()
        var written: [(time: Double, line: String)] = []
        for step in 0...Int(until * 4) {
            let time = Double(step) / 4
            for reply in replies where reply.at == time {
                bucket.enqueue(contentsOf: reply.lines, target: "#chan")
            }
            written += Self.drain(&bucket, at: time).sent.map { (time, $0) }
            if typing, bucket.takeSpareToken(now: .at(time)) {
                written.append((time, "typing"))
            }
        }
        return written
    }

    @Test func bestEffortLinesNeverDelayQueuedLines() {
        let reply = (at: 0.0, lines: (1...9).map { "line \($0)" })
        let alone = Self.replay([reply], typing: false, until: 30)
        let withTyping = Self.replay([reply], typing: true, until: 30)
        #expect(withTyping.filter { $0.line != "typing" }.map(\.time) == alone.map(\.time))
        #expect(alone.count == 9)
        let lastReplyLine = alone.last?.time ?? 0
        let typing = withTyping.filter { $0.line == "typing" }
        #expect(!typing.isEmpty && typing.allSatisfy { $0.time > lastReplyLine }, "only once the queue is empty")
    }

    @Test func bestEffortLinesKeepToTheBucket() {
        let replies = [
            (at: 0.5, lines: ["a1", "a2", "a3"]), (at: 3.0, lines: (1...6).map { "b\($0)" }),
            (at: 9.75, lines: ["c1"]), (at: 20.0, lines: (1...5).map { "d\($0)" }),
        ]
        let written = Self.replay(replies, typing: true, until: 40)
        #expect(written.contains { $0.line == "typing" })
        #expect(written.count == 15 + written.filter { $0.line == "typing" }.count, "every reply line is written")
        // Token bucket: in any span of time, at most burst lines plus one per interval that span holds.
        let times = Set(written.map(\.time)).sorted()
        let overruns = times.flatMap { start in
            times.filter { $0 >= start }.compactMap { end -> String? in
                let span = written.filter { $0.time >= start && $0.time <= end }.count
                return span > 4 + Int((end - start) / 2) ? "\(span) lines in \(start)...\(end) s" : nil
            }
        }
        #expect(overruns.isEmpty)
    }

    @Test func bestEffortLinesTakeAtMostOneTokenPerInterval() {
        let written = Self.replay([], typing: true, until: 9)
        #expect(written.map(\.time) == [0, 2, 4, 6, 8])
        var bucket = Bucket()
        bucket.enqueue("waiting", target: "#chan")
        let spare = bucket.takeSpareToken(now: .at(0))
        #expect(!spare, "a full bucket is not spare while a line waits")
    }

    @Test func aReplyRightAfterABestEffortLineLosesOneTokenOfItsBurst() {
        let written = Self.replay([(at: 0.5, lines: ["1", "2", "3", "4", "5"])], typing: true, until: 5)
        #expect(written.map(\.line) == ["typing", "1", "2", "3", "4", "5"])
        #expect(written.map(\.time) == [0, 0.5, 0.5, 0.5, 2, 4])
    }

    @Test func aHeldTargetKeepsItsLinesWhileOthersGo() {
        var bucket = Bucket()
        bucket.enqueue(contentsOf: ["kicked 1", "kicked 2"], target: "#kicked")
        bucket.enqueue(contentsOf: ["quiet 1"], target: "#quiet")
        #expect(bucket.next(now: .at(0), holding: ["#kicked"]) == .send("quiet 1", target: "#quiet"))
        #expect(bucket.next(now: .at(0), holding: ["#kicked"]) == .idle, "only held lines wait")
        #expect(bucket.queueDepth == 2)
        #expect(bucket.queueDepth(excluding: ["#kicked"]) == 0)
        let spare = bucket.takeSpareToken(now: .at(10), holding: ["#kicked"])
        #expect(spare, "held lines do not block typing elsewhere")
        // Back in the channel: its lines go, in order.
        var sent: [String] = []
        while case .send(let line, _) = bucket.next(now: .at(20)) { sent.append(line) }
        #expect(sent == ["kicked 1", "kicked 2"])
    }

    @Test func heldLinesStillExpire() {
        var bucket = Bucket()
        bucket.enqueue(contentsOf: ["late 1", "late 2"], target: "#kicked", expiresAt: .at(60))
        #expect(bucket.next(now: .at(30), holding: ["#kicked"]) == .idle)
        #expect(bucket.next(now: .at(61), holding: ["#kicked"]) == .expired(["late 1", "late 2"], target: "#kicked"))
        #expect(bucket.queueDepth == 0)
    }

    @Test func renamedTargetsKeepTheirLinesTurnsAndHolds() {
        // Queued folded with ASCII; the server then says rfc1459, under which `#a[b]` and `#a{b}` are one channel.
        var bucket = Bucket()
        bucket.enqueue(contentsOf: ["first 1", "first 2"], target: "#a[b]")
        bucket.enqueue(contentsOf: ["other"], target: "#other")
        bucket.enqueue(contentsOf: ["second"], target: "#a{b}")
        bucket.renameTargets(CaseMapping.rfc1459.fold)
        #expect(bucket.queueDepth == 4)
        #expect(bucket.queueDepth(for: "#a{b}") == 3)
        #expect(bucket.queueDepth(excluding: ["#a{b}"]) == 1)
        #expect(bucket.next(now: .at(0), holding: ["#a{b}"]) == .send("other", target: "#other"))
        #expect(
            bucket.next(now: .at(0), holding: ["#a{b}"]) == .idle,
            "the channel's lines are held under its new name"
        )
        var sent: [String] = []
        while case .send(let line, let target) = bucket.next(now: .at(20)) {
            #expect(target == "#a{b}")
            sent.append(line)
        }
        #expect(sent == ["first 1", "first 2", "second"])
    }

    /// A person's waiting lines move to their new nick, rewritten, in order and in the old nick's turn; lines
    /// already waiting for the new nick go first.
    @Test func retargetingMovesLinesInTheirTurn() {
        var bucket = FloodControl<String, TestInstant>(configuration: .init(burst: 10, interval: .seconds(1)))
        bucket.enqueue(contentsOf: ["a1", "a2"], target: "alice")
        bucket.enqueue(contentsOf: ["c1"], target: "#chan")
        bucket.retarget("alice", to: "alice_away") { $0 + "'" }
        #expect(bucket.queueDepth(for: "alice") == 0)
        #expect(bucket.queueDepth == 3)
        #expect(bucket.next(now: .at(0)) == .send("a1'", target: "alice_away"))

        bucket.enqueue(contentsOf: ["b1"], target: "bob")
        bucket.retarget("alice_away", to: "bob") { $0 }
        #expect(bucket.queueDepth == 3)
        var sent: [String] = []
        while case .send(let line, let target) = bucket.next(now: .at(0)) { sent.append("\(target) \(line)") }
        #expect(sent == ["#chan c1", "bob b1", "bob a2'"])

        bucket.retarget("nobody", to: "bob") { $0 }
        #expect(bucket.queueDepth == 0)
    }

    /// The lines waiting for someone who left are removed, turn and all; the others keep their order.
    @Test func removingATargetsLinesFreesItsTurn() {
        var bucket = FloodControl<String, TestInstant>(configuration: .init(burst: 10, interval: .seconds(1)))
        bucket.enqueue(contentsOf: ["a1", "a2"], target: "alice")
        bucket.enqueue(contentsOf: ["c1"], target: "#chan")
        #expect(bucket.removeLines(for: "alice") == ["a1", "a2"])
        #expect(bucket.removeLines(for: "nobody").isEmpty)
        #expect(bucket.queueDepth == 1)
        #expect(bucket.next(now: .at(0)) == .send("c1", target: "#chan"))
        #expect(bucket.next(now: .at(0)) == .idle)
    }
}
