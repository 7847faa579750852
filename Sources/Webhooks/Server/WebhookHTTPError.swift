import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A refusal the server answers with: a status, a stable snake_case `code` for programs and a sentence for people,
/// sent as `{"error": …, "code": …}`.
package struct WebhookHTTPError: Error, Sendable, Hashable {
    /// The HTTP status.
    package var status: HTTPResponse.Status
    /// The machine-readable reason, e.g. `invalid_signature`.
    package var code: String
    /// What went wrong, for the person reading the sender's logs. Never holds a secret.
    package var message: String
    /// Extra response headers, such as `Allow` or `Retry-After`.
    package var headers: HTTPFields

    /// Creates an error.
    package init(_ status: HTTPResponse.Status, code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    /// The response that reports this error.
    package var response: Response {
        let body = try! JSONEncoder.webhooks.encode(["error": self.message, "code": self.code])
        return .json(status: self.status, body: body, headers: self.headers)
    }
}

extension WebhookHTTPError {
    /// The path matches no endpoint.
    static let notFound = WebhookHTTPError(.notFound, code: "not_found", "no webhook endpoint at this path")
    /// Only POST is served.
    static let methodNotAllowed = WebhookHTTPError(
        .methodNotAllowed,
        code: "method_not_allowed",
        "webhook endpoints only accept POST",
        headers: [.allow: "POST"]
    )
    /// The body is not declared as one of the endpoint's `mediaTypes`.
    static func unsupportedMediaType(_ mediaTypes: [String]) -> WebhookHTTPError {
        WebhookHTTPError(
            .unsupportedMediaType,
            code: "unsupported_media_type",
            "the body must be \(mediaTypes.joined(separator: " or "))"
        )
    }

    /// The body is compressed (`Content-Encoding` other than `identity`); `Accept-Encoding` names what is read
    /// (RFC 7694).
    static let unsupportedContentEncoding = WebhookHTTPError(
        .unsupportedMediaType,
        code: "unsupported_content_encoding",
        "the body must not be compressed: only Content-Encoding identity is accepted",
        headers: [.acceptEncoding: "identity"]
    )

    /// The body is larger than the configured limit.
    static func contentTooLarge(limit: Int) -> WebhookHTTPError {
        WebhookHTTPError(.contentTooLarge, code: "body_too_large", "the body is larger than \(limit) bytes")
    }

    /// The endpoint's request budget is spent.
    static func rateLimited(retryAfter seconds: Int) -> WebhookHTTPError {
        WebhookHTTPError(
            .tooManyRequests,
            code: "rate_limited",
            "too many requests for this endpoint; retry in \(seconds) s",
            headers: [.retryAfter: String(seconds)]
        )
    }

    /// The server is stopping and starts no more answers.
    static let stopping = WebhookHTTPError(
        .serviceUnavailable,
        code: "shutting_down",
        "the bridge is shutting down; retry later",
        headers: [.retryAfter: "30"]
    )
}

extension Response {
    /// A JSON response with exactly `body`.
    static func json(status: HTTPResponse.Status, body: Data, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension JSONEncoder {
    /// Stable key order, so stored acknowledgements and replies are byte-for-byte reproducible.
    static var webhooks: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
