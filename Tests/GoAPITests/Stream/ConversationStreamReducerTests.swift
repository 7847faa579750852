import GoAPI
import Testing

@Suite struct ConversationStreamReducerTests {
    static let id = "66f41b8c-0d58-800b-8dfb-da993cc5fbfb"

    static func message(
        role: String,
        parts: [String],
        endTurn: Bool? = nil,
        recipient: String = "all",
        contentType: String = "text",
        error: String = "null"
    ) -> ServerSentEvent {
        let partsJSON = parts.map { "\"\($0)\"" }.joined(separator: ", ")
        let endTurnJSON = endTurn.map { $0 ? "true" : "false" } ?? "null"
        return ServerSentEvent(
            data: """
                {"message": {"id": "m", "author": {"role": "\(role)"}, "content": {"content_type": "\(contentType)", \
                "parts": [\(partsJSON)]}, "end_turn": \(endTurnJSON), "recipient": "\(recipient)"}, \
                "conversation_id": "\(id)", "error": \(error)}
                """
        )
    }

    @Test func systemMessageWithEndTurnIsNotTheReply() {
        var reducer = ConversationStreamReducer()
        let step = reducer.receive(Self.message(role: "system", parts: [""], endTurn: true))
        #expect(step.revealedConversationID == Self.id)
        #expect(!step.isFinal)
        #expect(throws: ConversationStreamError.self) { try reducer.outcome().get() }
    }

    @Test func partsAreCumulativeAndTheEndTurnSnapshotIsTheReply() throws {
        var reducer = ConversationStreamReducer()
        _ = reducer.receive(Self.message(role: "assistant", parts: ["Hel"]))
        let middle = reducer.receive(Self.message(role: "assistant", parts: ["Hello wor"]))
        #expect(middle.revealedConversationID == nil, "the id is revealed once")
        let last = reducer.receive(Self.message(role: "assistant", parts: ["Hello world"], endTurn: true))
        #expect(last.isFinal)
        let turn = try reducer.outcome().get()
        #expect(turn.text == "Hello world")
        #expect(turn.isComplete)
    }

    @Test func userEchoToolCallsAndModerationAreNotTheReply() throws {
        var reducer = ConversationStreamReducer()
        _ = reducer.receive(Self.message(role: "user", parts: ["question"], endTurn: true))
        _ = reducer.receive(Self.message(role: "assistant", parts: ["{}"], endTurn: true, recipient: "dalle.text2im"))
        _ = reducer.receive(
            ServerSentEvent(data: #"{"conversation_id": "x", "moderation_response": {"flagged": false}}"#)
        )
        #expect(throws: ConversationStreamError.self) { try reducer.outcome().get() }
    }

    @Test func eventErrorEndsTheTurnWithPartialText() {
        var reducer = ConversationStreamReducer()
        _ = reducer.receive(Self.message(role: "assistant", parts: ["Half an"]))
        let step = reducer.receive(Self.message(role: "assistant", parts: ["Half an"], error: "\"quota exceeded\""))
        #expect(step.isFinal)
        let failure = reducer.outcome()
        guard case .failure(let error) = failure else {
            Issue.record("expected a failure, got \(failure)")
            return
        }
        #expect(error.kind == .eventError("quota exceeded"))
        #expect(error.partial.text == "Half an")
        #expect(error.partial.conversationID == Self.id)
    }

    @Test func objectShapedEventErrorIsReadable() {
        var reducer = ConversationStreamReducer()
        _ = reducer.receive(
            ServerSentEvent(data: #"{"conversation_id": "c", "error": {"message": "model overloaded"}}"#)
        )
        #expect(
            throws: ConversationStreamError(
                kind: .eventError("model overloaded"),
                partial: .init(
                    conversationID: "c",
                    text: "",
                    isComplete: false
                )
            )
        ) { try reducer.outcome().get() }
    }

    /// GoAPI's error envelope sent as an event is an error with its message, not an unreadable event: counted as
    /// malformed, the message was lost and the asker told the stream ended before any answer.
    @Test func anErrorEnvelopeSentAsAnEventIsAnEventError() {
        var reducer = ConversationStreamReducer()
        _ = reducer.receive(Self.message(role: "assistant", parts: ["Half an"]))
        let step = reducer.receive(
            ServerSentEvent(data: #"{"code": 500, "message": "internal error: model overloaded"}"#)
        )
        #expect(step.isFinal)
        #expect(reducer.malformedEventCount == 0)
        #expect(
            throws: ConversationStreamError(
                kind: .eventError("internal error: model overloaded"),
                partial: .init(conversationID: Self.id, text: "Half an", isComplete: false)
            )
        ) { try reducer.outcome().get() }
    }

    @Test func garbageEventsAreSkippedAndCounted() throws {
        var reducer = ConversationStreamReducer()
        _ = reducer.receive(ServerSentEvent(data: "not json at all"))
        _ = reducer.receive(ServerSentEvent(data: #"{"message": {"author": 5}}"#))
        _ = reducer.receive(Self.message(role: "assistant", parts: ["fine"], endTurn: true))
        #expect(reducer.malformedEventCount == 2)
        #expect(try reducer.outcome().get().text == "fine")
    }

    @Test func doneWithoutEndTurnGivesIncompleteText() throws {
        var reducer = ConversationStreamReducer()
        _ = reducer.receive(Self.message(role: "assistant", parts: ["Partial"]))
        #expect(reducer.receive(ServerSentEvent(data: "[DONE]")).isFinal)
        let turn = try reducer.outcome().get()
        #expect(turn.text == "Partial")
        #expect(!turn.isComplete)
    }

    @Test func eventsAfterTheEndAreIgnored() throws {
        var reducer = ConversationStreamReducer()
        _ = reducer.receive(Self.message(role: "assistant", parts: ["Done"], endTurn: true))
        _ = reducer.receive(Self.message(role: "assistant", parts: ["Something else"], endTurn: true))
        #expect(try reducer.outcome().get().text == "Done")
    }

    @Test func imageFileIDsAreCollectedOnceInOrder() throws {
        var reducer = ConversationStreamReducer()
        let image: (String) -> ServerSentEvent = { file in
            ServerSentEvent(
                data: """
                    {"message": {"author": {"role": "tool"}, "content": {"content_type": "multimodal_text", "parts": \
                    [{"content_type": "image_asset_pointer", "asset_pointer": "file-service://\(file)"}]}, \
                    "recipient": "all"}, "conversation_id": "c", "error": null}
                    """
            )
        }
        _ = reducer.receive(image("file-a"))
        _ = reducer.receive(image("file-b"))
        _ = reducer.receive(image("file-a"))
        _ = reducer.receive(Self.message(role: "assistant", parts: ["Two images."], endTurn: true))
        #expect(try reducer.outcome().get().imageFileIDs == ["file-a", "file-b"])
        #expect(!reducer.omittedImages)
    }

    /// A tool event whose parts point at `files`, as GoAPI sends DALL-E results.
    static func images(_ files: [String]) -> ServerSentEvent {
        let parts = files.map { #"{"content_type": "image_asset_pointer", "asset_pointer": "file-service://\#($0)"}"# }
        return ServerSentEvent(
            data: """
                {"message": {"author": {"role": "tool"}, "content": {"content_type": "multimodal_text", "parts": \
                [\(parts.joined(separator: ", "))]}, "recipient": "all"}, "conversation_id": "c", "error": null}
                """
        )
    }

    @Test func aStreamNamingThousandsOfImagesKeepsTheFirstFewInOrder() throws {
        var reducer = ConversationStreamReducer()
        let named = (0..<5_000).map { "file-\($0)" }
        // Every id twice, and the first ten again later, as cumulative tool snapshots repeat what came before.
        _ = reducer.receive(Self.images(named.flatMap { [$0, $0] }))
        _ = reducer.receive(Self.images(Array(named.prefix(10))))
        _ = reducer.receive(Self.message(role: "assistant", parts: ["Many images."], endTurn: true))
        #expect(ConversationStreamReducer.maximumImageCount == 10)
        #expect(try reducer.outcome().get().imageFileIDs == Array(named.prefix(10)))
        #expect(reducer.omittedImages)
    }

    @Test func exactlyTheMaximumRepeatedIsNotReportedAsOmitting() throws {
        var reducer = ConversationStreamReducer()
        let named = (0..<ConversationStreamReducer.maximumImageCount).map { "file-\($0)" }
        _ = reducer.receive(Self.images(named))
        _ = reducer.receive(Self.images(named + named))
        _ = reducer.receive(Self.message(role: "assistant", parts: ["Ten images."], endTurn: true))
        #expect(try reducer.outcome().get().imageFileIDs == named)
        #expect(!reducer.omittedImages, "nothing was left out, so nothing may be logged as left out")
    }
}
