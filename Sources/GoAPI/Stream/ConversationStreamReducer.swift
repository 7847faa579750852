import Foundation
import NIOCore
import NIOFoundationCompat

/// Folds the events of one GoAPI conversation stream into the assistant's reply.
///
/// Pure: it takes decoded server-sent events and says what the caller should do, with no I/O. The rules come from
/// the shape of GoAPI's stream (see DESIGN.md): every message event carries the *cumulative* text, so the latest
/// snapshot replaces the previous one; only the assistant's message to `all` with `end_turn: true` is the answer —
/// the opening system message also has `end_turn: true` (with empty parts) and must not be taken for it; user
/// echoes, moderation events, tool calls and tool results are not the answer, though tool results may carry images.
package struct ConversationStreamReducer: Sendable {
    /// What one event means for the caller.
    package struct Step: Sendable, Hashable {
        /// Set the first time the stream names its conversation: persist it now, before anything can fail.
        package var revealedConversationID: String?
        /// The turn is over (answer complete, event error, or `[DONE]`); stop reading and call ``outcome()``.
        package var isFinal: Bool
    }

    private enum State: Sendable, Hashable {
        case streaming
        case completed
        case finishedWithoutEndTurn
        case failed(message: String)
    }

    private var state = State.streaming
    private var conversationID: String?
    /// The text of the final (`end_turn`) message, once it arrived.
    private var finalText: String?
    /// The newest in-progress snapshot of the assistant's message; decoded only if the stream stops before the end.
    private var latestSnapshot: ByteBuffer?
    /// The images kept for the reply, in order of appearance; ``imageFileIDSet`` holds the same ids for look-ups.
    private var imageFileIDs: [String] = []
    private var imageFileIDSet: Set<String> = []
    private let decoder = JSONDecoder()

    /// The most images one turn keeps. Each becomes a download request before the reply is sent and a line of the
    /// reply, and an image turn makes a handful at most; without a cap, one tool event of the stream's 4 MiB could
    /// name some 70,000 ids and hold the reply up for as many requests.
    package static let maximumImageCount = 10

    /// Events whose data was not valid JSON of the expected shape; they are skipped, not fatal.
    package private(set) var malformedEventCount = 0
    /// Whether the stream named more distinct images than ``maximumImageCount``; those after it were left out.
    package private(set) var omittedImages = false

    /// Creates a reducer for one turn.
    package init() {}

    /// Applies one event.
    package mutating func receive(_ event: ServerSentEvent) -> Step {
        guard self.state == .streaming else { return Step(revealedConversationID: nil, isFinal: true) }
        if event.isDoneSentinel {
            self.state = .finishedWithoutEndTurn
            return Step(revealedConversationID: nil, isFinal: true)
        }
        guard let decoded = try? self.decoder.decode(ConversationEvent.self, from: event.data) else {
            self.malformedEventCount += 1
            return Step(revealedConversationID: nil, isFinal: false)
        }
        var step = Step(revealedConversationID: nil, isFinal: false)
        if self.conversationID == nil, let id = decoded.conversationID, !id.isEmpty {
            self.conversationID = id
            step.revealedConversationID = id
        }
        if let error = decoded.error {
            self.state = .failed(message: error.message)
            step.isFinal = true
            return step
        }
        if let message = decoded.message {
            step.isFinal = self.apply(message, data: event.data)
        }
        return step
    }

    /// Takes in a message snapshot; returns whether it ended the turn.
    private mutating func apply(_ message: ConversationEvent.Message, data: ByteBuffer) -> Bool {
        let contentType = message.content?.contentType
        if message.author.role == "tool" || contentType == "multimodal_text" {
            self.collectImages(from: data)
        }
        guard message.author.role == "assistant", message.recipient ?? "all" == "all",
            contentType == "text" || contentType == "multimodal_text"
        else { return false }
        guard message.endTurn == true else {
            self.latestSnapshot = data
            return false
        }
        guard let parts = self.parts(of: data) else {
            self.malformedEventCount += 1
            return false
        }
        self.finalText = parts.text
        self.state = .completed
        return true
    }

    /// Keeps the event's image ids not seen before, up to ``maximumImageCount``. Once an id past the cap has been
    /// seen, later events are not decoded for images at all.
    private mutating func collectImages(from data: ByteBuffer) {
        guard self.imageFileIDs.count < Self.maximumImageCount || !self.omittedImages else { return }
        for fileID in self.parts(of: data)?.imageFileIDs ?? [] where !self.imageFileIDSet.contains(fileID) {
            guard self.imageFileIDs.count < Self.maximumImageCount else {
                self.omittedImages = true
                return
            }
            self.imageFileIDSet.insert(fileID)
            self.imageFileIDs.append(fileID)
        }
    }

    private func parts(of data: ByteBuffer) -> ConversationEventParts? {
        try? self.decoder.decode(ConversationEventParts.self, from: data)
    }

    /// The turn as far as the stream went. Call after a final step, or when the stream stopped early.
    ///
    /// A turn that never reached `end_turn` is returned as incomplete text when the assistant had written any,
    /// and as an error otherwise; an event `error` is always an error (carrying any partial text).
    package func outcome() -> Result<ConversationTurn, ConversationStreamError> {
        let text = self.finalText ?? self.latestSnapshot.flatMap { self.parts(of: $0)?.text } ?? ""
        let turn = ConversationTurn(
            conversationID: self.conversationID,
            text: text,
            isComplete: self.state == .completed,
            imageFileIDs: self.imageFileIDs
        )
        switch self.state {
        case .completed:
            return .success(turn)
        case .failed(let message):
            return .failure(ConversationStreamError(kind: .eventError(message), partial: turn))
        case .streaming, .finishedWithoutEndTurn:
            if turn.text.isEmpty {
                return .failure(ConversationStreamError(kind: .endedWithoutReply, partial: turn))
            }
            return .success(turn)
        }
    }
}

/// Why a stream produced no usable reply.
package struct ConversationStreamError: Error, Sendable, Hashable {
    /// The two ways a stream itself can fail.
    package enum Kind: Sendable, Hashable {
        /// An event carried a non-null `error`.
        case eventError(String)
        /// The stream stopped before the assistant wrote anything.
        case endedWithoutReply
    }

    /// What went wrong.
    package var kind: Kind
    /// Whatever the stream had delivered: the conversation id matters even when the turn failed.
    package var partial: ConversationTurn

    /// Creates an error.
    package init(kind: Kind, partial: ConversationTurn) {
        self.kind = kind
        self.partial = partial
    }
}
