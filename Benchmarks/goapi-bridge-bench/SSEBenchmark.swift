import BridgeTesting
import Foundation
import GoAPI
import NIOCore

/// SSE decode + reduce on synthetic GoAPI turns: cumulative replies with multibyte text, fed in 16 KiB reads the
/// way a socket delivers them. Every turn must reduce to exactly the reply that was streamed.
enum SSEBenchmark {
    /// The read size the stream is cut into, like a socket read.
    static let chunkSize = 16 * 1024

    /// One turn on the wire, ready to feed.
    struct Turn {
        /// The reply the turn must reduce to.
        var reply: String
        /// The events before the assistant's snapshots (system message, user echo, moderation), in reads.
        var opening: [ByteBuffer]
        /// The assistant's in-progress snapshots, in reads.
        var snapshots: [ByteBuffer]
        /// The final `end_turn` message and `[DONE]`, in reads.
        var closing: [ByteBuffer]
        /// The UTF-8 size of the largest event.
        var largestEvent: Int

        /// Wire bytes of the turn when the snapshots are sent `snapshotRounds` times.
        func bytes(snapshotRounds: Int = 1) -> Int {
            let size = { (chunks: [ByteBuffer]) in chunks.reduce(0) { $0 + $1.readableBytes } }
            return size(self.opening) + size(self.snapshots) * snapshotRounds + size(self.closing)
        }
    }

    /// A reply of `replyCharacters` characters streamed as `snapshots` cumulative events.
    static func turn(replyCharacters: Int, snapshots: Int) -> Turn {
        let words = ["café", "naïve", "漢字", "テスト", "emoji 🎉", "résumé", "Grüße", "ok", "the", "stream"]
        var reply = ""
        var index = 0
        while reply.count < replyCharacters {
            reply += words[index % words.count] + (index % 17 == 16 ? ".\n\n" : " ")
            index += 1
        }
        let events = StubConversationStream.events(
            conversationID: "66f41b8c-0d58-800b-8dfb-da993cc5fbfb",
            question: "Explain the design of an IRC bridge in detail.",
            reply: reply,
            snapshots: snapshots
        )
        // events: system, user, moderation, the snapshots, the final message, [DONE].
        let reads = { (events: ArraySlice<String>) in
            let wire = Array(StubConversationStream.wire(Array(events)).utf8)
            return stride(from: 0, to: wire.count, by: Self.chunkSize).map {
                ByteBuffer(bytes: wire[$0..<min($0 + Self.chunkSize, wire.count)])
            }
        }
        return Turn(
            reply: reply,
            opening: reads(events.prefix(3)),
            snapshots: reads(events.dropFirst(3).dropLast(2)),
            closing: reads(events.suffix(2)),
            largestEvent: events.map(\.utf8.count).max() ?? 0
        )
    }

    /// Decodes and reduces `turn` with a fresh decoder and reducer, the snapshots sent `snapshotRounds` times.
    /// - Throws: ``BenchmarkFailure`` when the turn does not reduce to its reply.
    static func decodeAndReduce(_ turn: Turn, snapshotRounds: Int = 1) throws {
        var reducer = ConversationStreamReducer()
        let processor = NIOSingleStepByteToMessageProcessor(ServerSentEventDecoder(maximumEventSize: 1 << 20))
        var finished = false
        let feed = { (chunk: ByteBuffer) in
            try processor.process(buffer: chunk) { event in
                if !finished { finished = reducer.receive(event).isFinal }
            }
        }
        for chunk in turn.opening { try feed(chunk) }
        for _ in 0..<snapshotRounds {
            for chunk in turn.snapshots { try feed(chunk) }
        }
        for chunk in turn.closing { try feed(chunk) }
        let outcome = try reducer.outcome().get()
        guard finished, outcome.isComplete, outcome.text == turn.reply, reducer.malformedEventCount == 0 else {
            throw BenchmarkFailure("SSE turn was not reduced to the expected reply")
        }
    }

    /// Throughput over `turnsPerRun` turns per timed run.
    static func throughput(
        _ name: String,
        replyCharacters: Int,
        snapshots: Int,
        turnsPerRun: Int,
        repetitions: Int,
        target: Figure.Target?
    ) throws -> Figure {
        let turn = Self.turn(replyCharacters: replyCharacters, snapshots: snapshots)
        let samples = try Samples(repetitions: repetitions) {
            for _ in 0..<turnsPerRun { try Self.decodeAndReduce(turn) }
        }
        return Figure(
            rate: "SSE decode+reduce, \(name)",
            amount: Double(turn.bytes() * turnsPerRun) / 1e6,
            unit: "MB/s",
            samples,
            target: target,
            details: String(
                format: "%d turns of %.1f kB per run, largest event %d B",
                turnsPerRun,
                Double(turn.bytes()) / 1e3,
                turn.largestEvent
            )
        )
    }

    /// Peak memory while one turn's stream grows tenfold with the same events: it must not grow with the stream.
    ///
    /// Run it first: peak RSS only ever rises, so later benchmarks' data would hide growth here.
    static func memory(limitMiB: Double) throws -> Figure {
        let turn = Self.turn(replyCharacters: 4_000, snapshots: 120)
        let shortRounds = 50
        try Self.decodeAndReduce(turn, snapshotRounds: shortRounds)
        let before = ResourceUsage.maximumResidentMiB()
        try Self.decodeAndReduce(turn, snapshotRounds: shortRounds * 10)
        let after = ResourceUsage.maximumResidentMiB()
        return Figure(
            name: "SSE memory, peak RSS growth when one stream grows 10×",
            value: after - before,
            unit: "MiB",
            target: .atMost(limitMiB),
            details: String(
                format: "peak RSS %.1f MiB after a %.0f MB turn, %.1f MiB after a %.0f MB turn; largest event %d B",
                before,
                Double(turn.bytes(snapshotRounds: shortRounds)) / 1e6,
                after,
                Double(turn.bytes(snapshotRounds: shortRounds * 10)) / 1e6,
                turn.largestEvent
            )
        )
    }
}
