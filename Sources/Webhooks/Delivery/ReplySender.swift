/// Makes the outbox's HTTP requests: signed reply POSTs, Slack and Mattermost API calls. The production
/// implementation uses AsyncHTTPClient; tests use a small NIO client. Kept to one method so the delivery rules stay
/// independent of the HTTP stack.
package protocol ReplySender: Sendable {
    /// Sends `request` and reports the receiver's status, `Retry-After` (in seconds, when present) and body. Throws
    /// when no response arrived (connection refused, timeout, reset); the error's description is recorded as the
    /// delivery's last error, so it must not contain secrets.
    func send(_ request: OutgoingRequest) async throws -> ReplySendResult
}

/// One HTTP request the outbox makes.
package struct OutgoingRequest: Sendable {
    /// `GET` or `POST`.
    package var method: String
    /// The full URL, built from configuration only.
    package var url: String
    /// Request headers, which may carry credentials: never log them.
    package var headers: [(name: String, value: String)]
    /// The body; empty for `GET`.
    package var body: [UInt8]

    /// Creates a request.
    package init(method: String, url: String, headers: [(name: String, value: String)], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A receiver's answer to an outbox request.
package struct ReplySendResult: Sendable, Hashable {
    /// The HTTP status.
    package var status: Int
    /// The `Retry-After` header in seconds, when the receiver sent one as a number.
    package var retryAfter: Double?
    /// The response body, up to a bound; APIs such as Slack's report failures in it.
    package var body: [UInt8]

    /// Creates a result.
    package init(status: Int, retryAfter: Double? = nil, body: [UInt8] = []) {
        self.status = status
        self.retryAfter = retryAfter
        self.body = body
    }
}
