/// A failure talking to GoAPI, described so that a person can act on it.
///
/// Modelled on async-http-client's `HTTPClientError`: a small `Code` to switch over, plus the facts a log line or a
/// chat reply needs (HTTP status, GoAPI's own message, and whatever text had already streamed in).
package struct GoAPIError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    package enum Code: String, Sendable, Hashable {
        /// 401/403: the API key is wrong, expired or lacks access. Never retried.
        case unauthorized
        /// 429 after every retry.
        case rateLimited
        /// 5xx after every retry.
        case serverError
        /// Another 4xx: the request itself was refused (unknown model or GPT, bad input).
        case requestRejected
        /// No connection could be made (or it broke before a response), after every retry.
        case connectFailed
        /// No byte arrived for longer than the idle timeout.
        case idleTimeout
        /// The whole reply took longer than the reply timeout.
        case replyTimeout
        /// An event in the stream carried a non-null `error`.
        case streamError
        /// The stream ended before the assistant wrote anything.
        case noReply
        /// The stream ended (or was cut) after some text but before `end_turn`.
        case cutOff
        /// The response was not the documented event stream (wrong content type, oversized event).
        case invalidResponse
        /// The caller cancelled (for example at shutdown).
        case cancelled
    }

    /// The kind of failure.
    package var code: Code
    /// The HTTP status, when the failure came with one.
    package var status: Int?
    /// GoAPI's own explanation, or the underlying error, trimmed to one short line.
    package var detail: String?
    /// The conversation id and any text that streamed in before the failure.
    package var partial: ConversationTurn?

    /// Creates an error.
    package init(_ code: Code, status: Int? = nil, detail: String? = nil, partial: ConversationTurn? = nil) {
        self.code = code
        self.status = status
        self.detail = detail.map(Self.oneLine)
        self.partial = partial
    }

    /// Whether trying the same request again may succeed (only before any stream byte has arrived).
    ///
    /// Not an idle timeout: GoAPI has taken the whole request and is still working on it (the question is small;
    /// it is written long before the first response byte is due). Sent again, it would be asked twice in the
    /// conversation and paid for twice.
    var isRetryable: Bool {
        switch self.code {
        case .rateLimited, .serverError, .connectFailed: true
        case .unauthorized, .requestRejected, .idleTimeout, .replyTimeout, .streamError, .noReply, .cutOff,
            .invalidResponse, .cancelled:
            false
        }
    }

    package var description: String {
        var text = "GoAPI \(self.code.rawValue)"
        if let status { text += " (HTTP \(status))" }
        if let detail { text += ": \(detail)" }
        return text
    }

    /// One short sentence for the person who asked; no internals, no stack traces.
    package var userMessage: String {
        switch self.code {
        case .unauthorized: "the bridge's GoAPI key was refused; please tell the operator."
        case .rateLimited: "GoAPI is rate-limiting requests right now; please try again in a minute."
        case .serverError, .connectFailed: "GoAPI is unavailable right now; please try again later."
        case .requestRejected:
            "GoAPI refused the request"
                + ((self.detail.flatMap(Self.showable) ?? self.status.map { "HTTP \($0)" }).map { " (\($0))" } ?? "")
                + "."
        case .idleTimeout, .replyTimeout: "GoAPI took too long to answer; please try again."
        case .streamError:
            "GoAPI reported an error" + (self.detail.flatMap(Self.showable).map { " (\($0))" } ?? "") + "."
        case .noReply: "GoAPI ended the answer before writing anything; please try again."
        case .cutOff: "GoAPI's answer was cut off before it was complete; please ask again."
        case .invalidResponse: "GoAPI sent a response the bridge could not read; please try again later."
        case .cancelled: "the bridge is shutting down; please ask again shortly."
        }
    }

    /// This error with every occurrence of `secret` in its detail replaced by `[redacted]`. GoAPI's (or a proxy's)
    /// error text can quote the request's key ("Invalid API key sk-…"), and the detail goes to the log and, for a
    /// refused request, to the chat.
    package func redacting(_ secret: String) -> GoAPIError {
        guard !secret.isEmpty, let detail = self.detail, detail.contains(secret) else { return self }
        var redacted = self
        redacted.detail = detail.replacing(secret, with: "[redacted]")
        return redacted
    }

    /// The part of GoAPI's explanation that may be shown in a chat: its first sentence, when that is short plain text
    /// (`Model gpt-9 does not exist.` helps whoever picked the model or GPT). Not markup, not a long internal trace:
    /// those stay in the log.
    private static func showable(_ detail: String) -> String? {
        var plain = detail.firstRange(of: ". ").map { detail[..<$0.lowerBound] } ?? detail[...]
        while plain.last == "." || plain.last == " " { plain.removeLast() }
        guard !plain.isEmpty, plain.count <= 100, !plain.contains("<"), !plain.contains("[redacted]") else {
            return nil
        }
        return String(plain)
    }

    private static func oneLine(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 300 ? String(flat.prefix(300)) + "…" : flat
    }
}
