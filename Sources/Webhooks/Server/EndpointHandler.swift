import HTTPTypes
import Hummingbird
import Logging

/// One endpoint's request handling, after the server's shared checks (path, method, content type, size). Each
/// protocol's handler verifies its own signature on the raw body before it parses anything.
protocol EndpointHandler: Sendable {
    /// The media types the endpoint's sender uses; others get 415.
    var mediaTypes: [String] { get }

    /// Handles a request whose raw body is `body`; `logger` gets the delivery id once it is known.
    func handle(headers: HTTPFields, body: [UInt8], logger: inout Logger) async throws(WebhookHTTPError) -> Response
}

extension EndpointHandler {
    /// JSON only, the common case.
    var mediaTypes: [String] { ["application/json"] }
}
