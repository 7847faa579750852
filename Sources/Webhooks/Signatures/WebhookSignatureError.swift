/// Why a webhook request's signature was refused. The reasons stay generic in HTTP responses (a caller probing
/// signatures learns nothing), but are specific in logs so an operator can fix a misconfigured sender.
package struct WebhookSignatureError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of refusal.
    package enum Code: String, Sendable, Hashable {
        /// A signature or timestamp header is absent.
        case missingHeader
        /// The timestamp is not a number.
        case malformedTimestamp
        /// The timestamp is outside the replay window.
        case staleTimestamp
        /// No signature matched the body.
        case mismatch
    }

    /// The kind of refusal.
    package var code: Code
    /// Detail for logs (never a secret).
    package var detail: String

    /// Creates an error.
    package init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    package var description: String { "\(self.code.rawValue): \(self.detail)" }
}
