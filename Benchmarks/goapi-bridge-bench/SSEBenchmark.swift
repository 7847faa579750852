import BridgeTesting
import Foundation
import GoAPI
import NIOCore

/// SSE decode + reduce throughput on synthetic GoAPI turns: long cumulative replies with multibyte text,
/// fed in 16 KiB reads the way a socket delivers them. Memory must depend on the largest event, not the stream.
enum SSEBenchmark {
    struct Result {
        var streamBytes: Int
        var largestEvent: Int
        var seconds: Double
        var megabytesPerSecond: Double { Double(self.streamBytes) / 1_000_000 / self.seconds }
    }

    /// One turn's wire bytes: a reply of `replyCharacters` characters streamed in `snapshots` cumulative events.
    static func turn(replyCharacters: Int, snapshots: Int) -> (wire: [UInt8], reply: String, largestEvent: Int) {
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
        let wire = Array(StubConversationStream.wire(events).utf8)
        return (wire, reply, events.map(\.utf8.count).max() ?? 0)
    }

    /// Decodes and reduces the turn `repetitions` times; fails loudly if any turn is not reduced correctly.
    static func run(replyCharacters: Int, snapshots: Int, repetitions: Int) throws -> Result {
        let (wire, reply, largestEvent) = self.turn(replyCharacters: replyCharacters, snapshots: snapshots)
        let chunkSize = 16 * 1024
        let chunks = stride(from: 0, to: wire.count, by: chunkSize).map {
            ByteBuffer(bytes: wire[$0..<min($0 + chunkSize, wire.count)])
        }
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<repetitions {
            var reducer = ConversationStreamReducer()
            let processor = NIOSingleStepByteToMessageProcessor(ServerSentEventDecoder(maximumEventSize: 1 << 20))
            var finished = false
            for chunk in chunks where !finished {
                try processor.process(buffer: chunk) { event in
                    if !finished { finished = reducer.receive(event).isFinal }
                }
            }
            let turn = try reducer.outcome().get()
            guard turn.isComplete, turn.text == reply else {
                throw BenchmarkFailure("turn was not reduced to the expected reply")
            }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(streamBytes: wire.count * repetitions, largestEvent: largestEvent, seconds: seconds)
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
