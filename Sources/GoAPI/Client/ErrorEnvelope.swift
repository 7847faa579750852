import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// GoAPI's JSON error body (`{"code": 401, "message": "..."}`, or `{"error": ...}` / `{"detail": ...}`).
struct ErrorEnvelope: Sendable {
    var code: Int?
    var message: String?
    /// Whether the body was a JSON object: GoAPI's own answer, not a page from a proxy or CDN in front of it.
    var isJSON = false

    /// Bodies larger than this are not errors we can show anyway.
    static let maximumBodySize = 64 * 1024

    /// Reads and parses the body; an unreadable or non-JSON body yields an empty envelope, never a throw.
    static func read(from response: HTTPClientResponse) async -> ErrorEnvelope {
        guard let body = try? await response.body.collect(upTo: Self.maximumBodySize) else {
            return ErrorEnvelope()
        }
        return ErrorEnvelope(body: body)
    }

    init(code: Int? = nil, message: String? = nil) {
        self.code = code
        self.message = message
    }

    init(body: ByteBuffer) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            // Plain text can explain itself; an HTML error page (nginx, a CDN) would put its markup in the chat.
            let text = String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
            self.init(message: text.isEmpty || text.contains("<") ? nil : text)
            return
        }
        let nested = object["error"] as? [String: Any]
        let message =
            object["message"] as? String ?? object["error"] as? String ?? object["detail"] as? String
            ?? nested?["message"] as? String
        self.init(code: object["code"] as? Int, message: message)
        self.isJSON = true
    }

    /// The error this envelope describes, given the HTTP status it came with.
    func error(httpStatus: Int) -> GoAPIError {
        // A 200 carrying an envelope reports its real status in `code`.
        let status = (200..<300).contains(httpStatus) ? (self.code ?? 0) : httpStatus
        switch status {
        case 401, 403: return GoAPIError(.unauthorized, status: status, detail: self.message)
        case 429: return GoAPIError(.rateLimited, status: status, detail: self.message)
        case 500...599: return GoAPIError(.serverError, status: status, detail: self.message)
        case 400...499: return GoAPIError(.requestRejected, status: status, detail: self.message)
        default:
            return GoAPIError(
                .invalidResponse,
                status: httpStatus,
                detail: self.message ?? "expected text/event-stream"
            )
        }
    }
}
