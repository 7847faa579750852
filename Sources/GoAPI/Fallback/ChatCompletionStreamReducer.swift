import Foundation
import NIOCore
import NIOFoundationCompat

/// Reduces an OpenAI-style `chat/completions` stream to the reply: each event's `choices[0].delta.content` is
/// appended (deltas, unlike GoAPI's cumulative parts), `finish_reason` marks the end, `[DONE]` closes the stream,
/// and an `error` object is a failure. Pure, so it is tested on recorded streams in any chunking.
package struct ChatCompletionStreamReducer: Sendable {
    /// The reply so far.
    package private(set) var text = ""
    /// Why the model stopped (`stop`, `length`, …), once it did.
    package private(set) var finishReason: String?
    /// The API's error message, when the stream carried one.
    package private(set) var error: String?
    /// Whether `[DONE]` arrived.
    package private(set) var sawDone = false

    /// Creates an empty reducer.
    package init() {}

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
        if let error = object["error"] {
            self.error = (error as? [String: Any])?["message"] as? String ?? "\(error)"
            return true
        }
        guard let choice = (object["choices"] as? [[String: Any]])?.first else { return false }
        if let content = (choice["delta"] as? [String: Any])?["content"] as? String {
            self.text += content
        }
        if let reason = choice["finish_reason"] as? String {
            self.finishReason = reason
        }
        return false
    }

    /// The outcome once the stream has ended (or was cut off).
    package var outcome: Result<String, GoAPIError> {
        if let error { return .failure(GoAPIError(.streamError, detail: error)) }
        guard !self.text.isEmpty else { return .failure(GoAPIError(.noReply)) }
        guard self.finishReason != nil || self.sawDone else {
            return .failure(GoAPIError(.cutOff, detail: "the backup model's answer was cut off"))
        }
        return .success(self.text)
    }
}
