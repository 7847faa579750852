import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store

/// Serves full-reply pages at `GET /r/<id>` (and `HEAD`). Malformed, unknown and expired ids get the same 404, so
/// the answer says nothing about which pages exist. Every response forbids scripts, framing, sniffing and
/// referrers, and a page may be cached privately only until it expires.
struct ReplyPageRoute: Sendable {
    /// The metrics label for page requests, one for all ids so requests cannot grow the number of series.
    static let metricsLabel = "/r/"

    /// Where the pages are kept.
    let store: any BridgeStore
    /// The wall clock that decides whether a page has expired.
    let now: @Sendable () -> Date

    /// Answers a request whose path starts with ``ReplyPagePublisher/pathPrefix``.
    func respond(to request: Request, path: String, logger: Logger) async -> Response {
        let response: Response
        switch request.method {
        case .get, .head:
            response = await self.page(id: path.dropFirst(ReplyPagePublisher.pathPrefix.count), logger: logger)
        default:
            response = Self.htmlResponse(
                .methodNotAllowed,
                html: ReplyPageDocument.notFound,
                cacheControl: "no-store",
                extraHeaders: [.allow: "GET, HEAD"]
            )
        }
        // The id is the page's only key: it is never logged.
        logger.info(
            "Reply page request answered",
            metadata: ["webhook.endpoint": "\(Self.metricsLabel)", "http.status": "\(response.status.code)"]
        )
        WebhookMetrics.request(endpoint: Self.metricsLabel, status: response.status.code)
        return request.method == .head ? response.createHeadResponse() : response
    }

    private func page(id: Substring, logger: Logger) async -> Response {
        let notFound = Self.htmlResponse(.notFound, html: ReplyPageDocument.notFound, cacheControl: "no-store")
        guard ReplyPageID.isWellFormed(id) else { return notFound }
        let now = self.now()
        let page: ReplyPage?
        do {
            page = try await self.store.replyPage(id: String(id), now: now)
        } catch {
            logger.info("Reply page could not be read", metadata: ["error": "\(error)"])
            return Self.htmlResponse(
                .serviceUnavailable,
                html: ReplyPageDocument.notFound,
                cacheControl: "no-store",
                extraHeaders: [.retryAfter: "60"]
            )
        }
        guard let page else { return notFound }
        // A browser may keep the page until it expires, never longer, and no shared cache may keep it at all.
        let lifetime = max(Int(page.expiresAt.timeIntervalSince(now).rounded(.down)), 0)
        return Self.htmlResponse(
            .ok,
            html: ReplyPageDocument.html(for: page),
            cacheControl: "private, max-age=\(lifetime)"
        )
    }

    /// An HTML response with the headers every page response carries.
    private static func htmlResponse(
        _ status: HTTPResponse.Status,
        html: String,
        cacheControl: String,
        extraHeaders: HTTPFields = [:]
    ) -> Response {
        var headers = extraHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = ReplyPageDocument.contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[Self.referrerPolicy] = "no-referrer"
        headers[Self.frameOptions] = "DENY"
        headers[.cacheControl] = cacheControl
        headers[Self.robotsTag] = "noindex, nofollow"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// Links on a page must not tell their targets where the reader came from: the page's address is its key.
    private static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    /// No other site may frame a page (older browsers ignore `frame-ancestors`).
    private static let frameOptions = HTTPField.Name("X-Frame-Options")!
    /// Keeps search engines from indexing pages whose links leaked.
    private static let robotsTag = HTTPField.Name("X-Robots-Tag")!
}
