/// POSTs a reply to a receiver. The production implementation uses AsyncHTTPClient; tests use a small NIO client.
/// Kept to one method so the delivery service's retry rules stay independent of the HTTP stack.
package protocol ReplySender: Sendable {
    /// POSTs `body` with `headers` to `url` and reports the receiver's status and `Retry-After` (in seconds, when
    /// present). Throws when no response arrived (connection refused, timeout, reset); the error's description is
    /// recorded as the delivery's last error, so it must not contain secrets.
    func post(url: String, headers: [(name: String, value: String)], body: [UInt8]) async throws -> ReplySendResult
}

/// A receiver's answer to a reply POST.
package struct ReplySendResult: Sendable, Hashable {
    /// The HTTP status.
    package var status: Int
    /// The `Retry-After` header in seconds, when the receiver sent one as a number.
    package var retryAfter: Double?

    /// Creates a result.
    package init(status: Int, retryAfter: Double? = nil) {
        self.status = status
        self.retryAfter = retryAfter
    }
}
