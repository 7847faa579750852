import BridgeTesting
import GoAPI
import NIOCore

/// Ways of cutting a byte stream into network reads; a decoder must give the same events for each.
enum Chunking: CustomStringConvertible, Sendable {
    case whole
    case byteByByte
    case random(seed: UInt64)

    static let all: [Chunking] = [.whole, .byteByByte, .random(seed: 1), .random(seed: 42), .random(seed: 2024)]

    var description: String {
        switch self {
        case .whole: "whole"
        case .byteByByte: "byte by byte"
        case .random(let seed): "random chunks (seed \(seed))"
        }
    }

    func split(_ bytes: [UInt8]) -> [ByteBuffer] {
        switch self {
        case .whole:
            return [ByteBuffer(bytes: bytes)]
        case .byteByByte:
            return bytes.map { ByteBuffer(bytes: [$0]) }
        case .random(let seed):
            var random = SeededRandom(seed: seed)
            var chunks: [ByteBuffer] = []
            var start = 0
            while start < bytes.count {
                let length = Int.random(in: 1...64, using: &random)
                let end = min(start + length, bytes.count)
                chunks.append(ByteBuffer(bytes: bytes[start..<end]))
                start = end
            }
            return chunks
        }
    }
}

/// Runs the decoder over `chunks` the way `NIODecodedAsyncSequence` does, end of stream included.
func decodeEvents(_ chunks: [ByteBuffer], maximumEventSize: Int = 1 << 20) throws -> [ServerSentEvent] {
    let processor = NIOSingleStepByteToMessageProcessor(ServerSentEventDecoder(maximumEventSize: maximumEventSize))
    var events: [ServerSentEvent] = []
    for chunk in chunks {
        try processor.process(buffer: chunk) { events.append($0) }
    }
    try processor.finishProcessing(seenEOF: true) { events.append($0) }
    return events
}

/// Decodes `text` cut by `chunking`, returning each event's data as a string.
func eventData(_ text: String, _ chunking: Chunking = .whole, maximumEventSize: Int = 1 << 20) throws -> [String] {
    try decodeEvents(chunking.split(Array(text.utf8)), maximumEventSize: maximumEventSize).map {
        String(buffer: $0.data)
    }
}
