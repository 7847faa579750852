import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Routes requests to endpoints after the checks every endpoint shares, in a fixed order so a request is refused
/// for its first problem: path (404), method (405), content type or encoding (415), body size (413). Nothing reads the body
/// beyond the size limit, and nothing parses it before the endpoint's signature check.
///
/// Paths under `/r/` are full-reply pages, served by ``ReplyPageRoute``; no endpoint can be configured there.
struct WebhookResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// The endpoints' handlers by exact path.
    let handlers: [String: any EndpointHandler]
    /// The body size limit in bytes.
    let maxBodyBytes: Int
    /// Full-reply pages.
    let pages: ReplyPageRoute
    /// The server's logger.
    let logger: Logger
    /// `webhook_requests_total`, by endpoint and status.
    let requestCounters = WebhookRequestCounters()

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix(ReplyPagePublisher.pathPrefix) {
            return await self.pages.respond(to: request, path: path, logger: self.logger)
        }
        var logger = self.logger
        logger[metadataKey: "webhook.endpoint"] = "\(path)"
        let response: Response
        do throws(WebhookHTTPError) {
            response = try await self.route(request, path: path, logger: &logger)
        } catch {
            response = error.response
        }
        // Every request is counted in `webhook_requests_total`; a line for each accepted one would only repeat that
        // count at the rate of the load, so accepted requests are logged at debug and refused ones at info.
        let status = response.status.code
        if status < 400 {
            logger.debug("Webhook request answered", metadata: ["http.status": "\(status)"])
        } else {
            logger.info("Webhook request answered", metadata: ["http.status": "\(status)"])
        }
        self.requestCounters.increment(endpoint: self.handlers[path] == nil ? nil : path, status: status)
        return response
    }

    private func route(
        _ request: Request,
        path: String,
        logger: inout Logger
    ) async throws(WebhookHTTPError)
        -> Response
    {
        guard let handler = self.handlers[path] else { throw .notFound }
        guard request.method == .post else { throw .methodNotAllowed }
        guard let mediaType = Self.mediaType(request.headers[.contentType]), handler.mediaTypes.contains(mediaType)
        else { throw .unsupportedMediaType(handler.mediaTypes) }
        guard Self.isIdentity(request.headers[values: .contentEncoding]) else { throw .unsupportedContentEncoding }
        let body = try await self.collectBody(request)
        return try await handler.handle(headers: request.headers, body: body, logger: &logger)
    }

    /// The media type of a `Content-Type` header, lowercased and without parameters such as `charset`.
    ///
    /// Works on the header's bytes: it runs for every request, and Foundation's `trimmingCharacters(in:)` cost as
    /// much as the signature check. HTTP allows only spaces and tabs around the media type.
    static func mediaType(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var bytes = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }[...]
        while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isSpace(last) { bytes = bytes.dropLast() }
        let lowered = bytes.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 + 32 : $0 }
        return String(decoding: lowered, as: UTF8.self)
    }

    /// Whether `Content-Encoding` header values leave the body as sent (none, or only `identity`). A compressed
    /// body cannot be read here, and telling its sender so (415, RFC 7694) beats refusing its signature or its JSON.
    static func isIdentity(_ contentEncodings: [String]) -> Bool {
        contentEncodings.allSatisfy { value in
            value.split(separator: ",").allSatisfy {
                $0.trimmingCharacters(in: .whitespaces).lowercased() == "identity"
            }
        }
    }

    /// Reads the body, refusing it by its declared length first and by its actual length while it streams in.
    private func collectBody(_ request: Request) async throws(WebhookHTTPError) -> [UInt8] {
        let tooLarge = WebhookHTTPError.contentTooLarge(limit: self.maxBodyBytes)
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > self.maxBodyBytes {
            throw tooLarge
        }
        var body: [UInt8] = []
        do {
            for try await chunk in request.body {
                guard body.count + chunk.readableBytes <= self.maxBodyBytes else { throw tooLarge }
                body.append(contentsOf: chunk.readableBytesView)
            }
        } catch let error as WebhookHTTPError {
            throw error
        } catch {
            throw WebhookHTTPError(.badRequest, code: "unreadable_body", "the body could not be read")
        }
        return body
    }
}
