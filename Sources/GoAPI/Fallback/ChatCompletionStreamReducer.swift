import Foundation
import NIOCore
import NIOFoundationCompat

/// Reduces an OpenAI-style `chat/completions` stream to the reply: each event's `choices[0].delta.content` is
/// appended (deltas, unlike GoAPI's cumulative parts), `finish_reason` marks the end, `[DONE]` closes the stream,
/// and an `error` object is a failure. Pure, so it is tested on recorded streams in any chunking.
///
/// The answer is held to ``maximumTextSize``: deltas are small, so no single event outgrows the decoder's limit,
/// and without this a model that never stops would grow the reply until the reply timeout.
package struct ChatCompletionStreamReducer: Sendable {
    /// The reply so far.
    package private(set) var text = ""
    /// The longest answer taken, in UTF-8 bytes; a longer one ends the turn as unreadable, as it does on the
    /// conversation path, whose whole answer must fit in one event.
    package let maximumTextSize: Int
    /// Whether the answer outgrew ``maximumTextSize``; ``text`` holds what came before.
    package private(set) var isOverlong = false
    /// Why the model stopped (`stop`, `length`, …), once it did.
    package private(set) var finishReason: String?
    /// The API's error message, when the stream carried one.
    package private(set) var error: String?
    /// Whether `[DONE]` arrived.
    package private(set) var sawDone = false

    /// Creates an empty reducer.
    package init(maximumTextSize: Int = ServerSentEventDecoder.defaultMaximumEventSize) {
        self.maximumTextSize = maximumTextSize
    }

    /// Takes one event; returns true when nothing more is expected.
    package mutating func receive(_ event: ServerSentEvent) -> Bool {
        if event.isDoneSentinel {
            self.sawDone = true
            return true
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: event.data)) as? [String: Any] else {
            // Keep-alive comments never reach here; an unreadable event is skipped rather than failing the reply.
            return false
        }
        // `"error": null` is how some OpenAI-compatible servers say "no error" on every chunk.
        if let error = object["error"], !(error is NSNull) {
            self.error = (error as? [String: Any])?["message"] as? String ?? "\(error)"
            return true
        }
        guard let choice = (object["choices"] as? [[String: Any]])?.first else { return false }
        if let content = (choice["delta"] as? [String: Any])?["content"] as? String {
            guard self.text.utf8.count + content.utf8.count <= self.maximumTextSize else {
                self.isOverlong = true
                return true
            }
            self.text += content
        }
        if let reason = choice["finish_reason"] as? String {
            self.finishReason = reason
        }
        return false
    }

    /// `finish_reason` values that end an answer before it is whole.
    static let unfinishedReasons: Set<String> = ["length", "content_filter"]

    /// The outcome once the stream has ended (or was cut off).
    package var outcome: Result<String, GoAPIError> {
        if let error { return .failure(GoAPIError(.streamError, detail: error)) }
        if self.isOverlong {
            return .failure(
                GoAPIError(
                    .invalidResponse,
                    detail: "the backup model's answer is larger than \(self.maximumTextSize) bytes"
                )
            )
        }
        guard !self.text.isEmpty else { return .failure(GoAPIError(.noReply)) }
        guard self.finishReason != nil || self.sawDone else {
            return .failure(GoAPIError(.cutOff, detail: "the backup model's answer was cut off"))
        }
        // The model stopped mid-answer at its token limit, or a filter stopped it: as cut off as a broken stream.
        if let reason = self.finishReason, Self.unfinishedReasons.contains(reason) {
            return .failure(GoAPIError(.cutOff, detail: "the backup model stopped its answer (\(reason))"))
        }
        return .success(self.text)
    }
}
