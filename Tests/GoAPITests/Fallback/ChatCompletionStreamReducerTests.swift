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

    /// `finish_reason: "length"` is the API saying it stopped at its token limit, mid-answer: that answer is as cut
    /// off as one whose stream broke, and must not be posted as if it were whole.
    @Test func anAnswerStoppedAtTheTokenLimitIsCutOff() throws {
        let wire = [
            #"{"id":"c1","choices":[{"index":0,"delta":{"content":"The reasons are: first, the"},"finish_reason":null}]}"#,
            #"{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}"#,
            "[DONE]",
        ].map { "data: \($0)\n\n" }.joined()
        let reducer = try Self.reduce(wire, chunk: 4096)
        guard case .failure(let error) = reducer.outcome else {
            Issue.record("an answer stopped at the token limit was taken as complete")
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

    /// Some OpenAI-compatible servers put `"error": null` in every chunk; read as an error, no backup answer ever
    /// got through.
    @Test func aNullErrorFieldIsNoError() throws {
        let wire = [
            #"{"id":"c1","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}],"error":null}"#,
            #"{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"error":null}"#,
            "[DONE]",
        ].map { "data: \($0)\n\n" }.joined()
        let reducer = try Self.reduce(wire, chunk: 4096)
        #expect(try reducer.outcome.get() == "Hello")
        #expect(reducer.finishReason == "stop")
    }

    @Test func anAnswerThatNeverStopsEndsAtTheConversationPathsLimit() throws {
        var reducer = ChatCompletionStreamReducer()
        let piece = String(repeating: "a", count: 64 << 10)
        let delta = ServerSentEvent(data: #"{"choices": [{"index": 0, "delta": {"content": "\#(piece)"}}]}"#)
        // 100 deltas make 6.4 MiB: past the 4 MiB the conversation path takes in its one cumulative event.
        let events = (1...100).first { _ in reducer.receive(delta) }
        #expect(reducer.maximumTextSize == ServerSentEventDecoder.defaultMaximumEventSize)
        #expect(events == 65, "the stream is left at the delta that would pass the limit")
        #expect(reducer.text.utf8.count <= ServerSentEventDecoder.defaultMaximumEventSize)
        guard case .failure(let error) = reducer.outcome else {
            Issue.record("an answer past the limit was taken whole")
            return
        }
        #expect(error.code == .invalidResponse, "the conversation path's outcome for an answer past the limit")
        #expect(error.detail == "the backup model's answer is larger than 4194304 bytes")
    }

    @Test func anAnswerOfExactlyTheLimitIsAnswered() throws {
        var reducer = ChatCompletionStreamReducer(maximumTextSize: 8)
        let events = ["1234", "5678"].map {
            ServerSentEvent(data: #"{"choices": [{"index": 0, "delta": {"content": "\#($0)"}}]}"#)
        }
        let finished = (events + [ServerSentEvent(data: "[DONE]")]).map { reducer.receive($0) }
        #expect(finished == [false, false, true])
        #expect(try reducer.outcome.get() == "12345678")
    }

    @Test func anEmptyStreamIsNoReply() throws {
        guard case .failure(let error) = try Self.reduce("data: [DONE]\n\n", chunk: 4).outcome else {
            Issue.record("an empty stream was an answer")
            return
        }
        #expect(error.code == .noReply)
    }
}
