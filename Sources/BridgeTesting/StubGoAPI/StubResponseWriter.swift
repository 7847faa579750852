import NIOCore
import NIOHTTP1

/// Writes the stub's responses: whole JSON answers and event streams, including the broken ones.
struct StubResponseWriter {
    let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>

    /// Carries out `behaviour`; returns whether the connection may be reused. `answered` runs once the complete
    /// answer (`end_turn`) is on the wire: from then on the client may consider the request finished.
    func perform(
        _ behaviour: StubGoAPIServer.Behaviour,
        conversationID: String,
        question: String,
        answered: () -> Void
    ) async throws -> Bool {
        switch behaviour {
        case .reply(let text, let images, let delay):
            let events = StubConversationStream.events(
                conversationID: conversationID,
                question: question,
                reply: text,
                imageFileIDs: images
            )
            if delay == .zero {
                // All at once, in one write: the stub then costs as little as a stand-in for GoAPI can, so
                // latency measured through it is the bridge's own.
                try await self.outbound.write(
                    contentsOf: [
                        .head(Self.eventStreamHead),
                        .body(.byteBuffer(ByteBuffer(string: StubConversationStream.wire(events)))),
                        .end(nil),
                    ]
                )
                answered()
                return true
            }
            let chunks = events.map { StubConversationStream.wire([$0]) }
            try await self.stream(Array(chunks.dropLast()), delay: delay, end: false)
            answered()
            try await self.writeChunks(Array(chunks.suffix(1)), delay: delay)
            try await self.outbound.write(.end(nil))
            return true
        case .replyWhenOpened(let text, let gate):
            let events = StubConversationStream.events(conversationID: conversationID, question: question, reply: text)
            let chunks = events.map { StubConversationStream.wire([$0]) }
            // The system message, the user echo and the moderation event; the answer itself waits for the gate.
            let opening = 3
            try await self.stream(Array(chunks.prefix(opening)), delay: .zero, end: false)
            try await gate.wait()
            try await self.writeChunks(Array(chunks.dropFirst(opening).dropLast()), delay: .zero)
            answered()
            try await self.writeChunks(Array(chunks.suffix(1)), delay: .zero)
            try await self.outbound.write(.end(nil))
            return true
        case .status(let code, let body, let headers):
            try await self.writeWhole(status: code, body: body, headers: headers)
            return true
        case .truncated(let partial):
            let events = StubConversationStream.events(
                conversationID: conversationID,
                question: question,
                reply: partial + " and more",
                snapshots: 0,
                endTurn: false
            )
            let partialEvent = StubConversationStream.message(
                conversationID,
                role: "assistant",
                parts: [partial],
                endTurn: nil,
                status: "in_progress"
            )
            try await self.stream([StubConversationStream.wire(events + [partialEvent])], delay: .zero, end: false)
            return false
        case .garbageThenReply(let text):
            let events = StubConversationStream.events(conversationID: conversationID, question: question, reply: text)
            let garbled = events.flatMap {
                ["data: {\"unterminated\n \n", "data: <html>oops</html>\n\n", StubConversationStream.wire([$0])]
            }
            try await self.stream(garbled, delay: .zero)
            return true
        case .stall(let partial):
            let events = StubConversationStream.events(
                conversationID: conversationID,
                question: question,
                reply: partial,
                snapshots: 0,
                endTurn: false
            )
            let partialEvent = StubConversationStream.message(
                conversationID,
                role: "assistant",
                parts: [partial],
                endTurn: nil,
                status: "in_progress"
            )
            try await self.stream([StubConversationStream.wire(events + [partialEvent])], delay: .zero, end: false)
            // Hold the connection silently until the client gives up (or the test ends).
            try await Task.sleep(for: .seconds(600))
            return false
        case .eventError(let message):
            let events = StubConversationStream.events(
                conversationID: conversationID,
                question: question,
                reply: "",
                snapshots: 0,
                endTurn: false
            )
            let error = StubConversationStream.errorEvent(conversationID: conversationID, message: message)
            try await self.stream([StubConversationStream.wire(events + [error, "[DONE]"])], delay: .zero)
            return true
        case .raw(let text):
            try await self.stream([text], delay: .zero)
            return true
        case .dropConnection:
            return false
        case .silence:
            try await Task.sleep(for: .seconds(600))
            return false
        }
    }

    /// A complete non-streaming response.
    func writeWhole(status: Int, body: String, headers: [String: String]) async throws {
        var head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status))
        head.headers.add(name: "content-type", value: "application/json")
        head.headers.add(name: "content-length", value: "\(body.utf8.count)")
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        try await self.outbound.write(.head(head))
        try await self.outbound.write(.body(.byteBuffer(ByteBuffer(string: body))))
        try await self.outbound.write(.end(nil))
    }

    /// The head of every event-stream response.
    private static var eventStreamHead: HTTPResponseHead {
        var head = HTTPResponseHead(version: .http1_1, status: .ok)
        head.headers.add(name: "content-type", value: "text/event-stream; charset=utf-8")
        head.headers.add(name: "cache-control", value: "no-cache")
        return head
    }

    private func stream(_ chunks: [String], delay: Duration, end: Bool = true) async throws {
        try await self.outbound.write(.head(Self.eventStreamHead))
        try await self.writeChunks(chunks, delay: delay)
        if end { try await self.outbound.write(.end(nil)) }
    }

    private func writeChunks(_ chunks: [String], delay: Duration) async throws {
        for chunk in chunks {
            if delay > .zero { try await Task.sleep(for: delay) }
            try await self.outbound.write(.body(.byteBuffer(ByteBuffer(string: chunk))))
        }
    }
}
