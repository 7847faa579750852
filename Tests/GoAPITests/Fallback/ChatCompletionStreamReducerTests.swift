import BridgeTesting
import GoAPI
import NIOCore
import Testing

@Suite struct ChatCompletionStreamReducerTests {
    /// Decodes `wire` in chunks of `size` bytes and reduces it.
    static func reduce(_ wire: String, chunk size: Int) throws -> ChatCompletionStreamReducer {
        var decoder = ServerSentEventDecoder()
        var reducer = ChatCompletionStreamReducer()
        var buffer = ByteBuffer()
        let bytes = Array(wire.utf8)
        for start in stride(from: 0, to: bytes.count, by: size) {
            buffer.writeBytes(bytes[start..<min(start + size, bytes.count)])
            while let event = try decoder.decode(buffer: &buffer) {
                if reducer.receive(event) { return reducer }
            }
        }
        while let event = try decoder.decodeLast(buffer: &buffer, seenEOF: true) {
            if reducer.receive(event) { break }
        }
        return reducer
    }

    @Test(arguments: [1, 3, 17, 4096])
    func deltasAddUpToTheReplyInAnyChunking(chunk: Int) throws {
        let text = "Rome is the capital of Italy — «Roma»."
        let reducer = try Self.reduce(StubChatAPIs.chatCompletionStream(text), chunk: chunk)
        #expect(try reducer.outcome.get() == text)
        #expect(reducer.finishReason == "stop")
        #expect(reducer.sawDone)
    }

    @Test func aStreamWithoutFinishOrDoneIsCutOff() throws {
        let reducer = try Self.reduce(StubChatAPIs.chatCompletionStream("Half an ans", finished: false), chunk: 64)
        guard case .failure(let error) = reducer.outcome else {
            Issue.record("a cut stream was taken as complete")
            return
        }
        #expect(error.code == .cutOff)
    }

    @Test func anErrorEventIsAFailureWithItsMessage() throws {
        let wire = #"data: {"error": {"message": "model overloaded", "type": "server_error"}}"# + "\n\n"
        guard case .failure(let error) = try Self.reduce(wire, chunk: 8).outcome else {
            Issue.record("an error event was not a failure")
            return
        }
        #expect(error.code == .streamError)
        #expect(error.detail == "model overloaded")
    }

    @Test func anEmptyStreamIsNoReply() throws {
        guard case .failure(let error) = try Self.reduce("data: [DONE]\n\n", chunk: 4).outcome else {
            Issue.record("an empty stream was an answer")
            return
        }
        #expect(error.code == .noReply)
    }
}
