import BridgeTesting
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The servers `scripts/bench-webhooks.sh` runs around the real `goapi-bridge` binary, in one process:
///
/// - a stub GoAPI (``StubGoAPIServer``) that streams its default answer at once, with no delay between events;
/// - a Hummingbird server with the reply receiver, `POST /replies`, which accepts every reply with 200 and counts it,
///   and `GET /replies/count`, which reports `{"received", "answered", "distinct", "goapi"}`: replies received, those
///   carrying the stub's answer rather than an error, distinct `webhook-id`s among them (a question answered twice
///   shows up here) and conversation requests the stub GoAPI got;
/// - on the same server, the bare route `POST /bare`: it reads the body and answers 202 with a small JSON, the floor
///   against which the bridge's signed endpoint is compared.
///
/// Once both listen it prints `goapi=<base URL>` and `peers=<base URL>` on standard output, one per line, and serves
/// until SIGTERM or SIGINT.
enum WebhookPeers {
    /// Replies received at `/replies`, those among them that carry the stub's answer, and their distinct ids.
    private final class ReplyCounts: Sendable {
        let received = Atomic<Int>(0)
        let answered = Atomic<Int>(0)
        let ids = Mutex<Set<String>>([])
    }

    private static let webhookID = HTTPField.Name("webhook-id")!

    /// The answer the stub gives, as it appears in a reply body.
    private static let answerMarker = Array(#""reply":"\#(StubGoAPIServer.defaultReply)""#.utf8)

    /// Serves until a termination signal; throws when a server cannot start.
    static func serve() async throws {
        var logger = Logger(label: "goapi-bridge-bench.webhook-peers")
        logger.logLevel = .warning
        try await StubGoAPIServer.withRunning { goapi in
            let counts = ReplyCounts()
            let router = Router()
            router.post("bare") { request, _ -> Response in
                var request = request
                let body = try await request.collectBody(upTo: 1 << 16)
                return Self.json(status: .accepted, #"{"status":"queued","bytes":\#(body.readableBytes)}"#)
            }
            router.post("replies") { request, _ -> Response in
                var request = request
                let body = try await request.collectBody(upTo: 1 << 20)
                counts.received.add(1, ordering: .relaxed)
                if let id = request.headers[Self.webhookID] {
                    counts.ids.withLock { _ = $0.insert(id) }
                }
                if Self.contains(body.readableBytesView, Self.answerMarker) {
                    counts.answered.add(1, ordering: .relaxed)
                }
                return Response(status: .ok)
            }
            router.get("replies/count") { _, _ -> Response in
                let received = counts.received.load(ordering: .relaxed)
                let answered = counts.answered.load(ordering: .relaxed)
                let distinct = counts.ids.withLock { $0.count }
                let asked = goapi.requests.count
                return Self.json(
                    status: .ok,
                    #"{"received":\#(received),"answered":\#(answered),"distinct":\#(distinct),"goapi":\#(asked)}"#
                )
            }
            let application = Application(
                router: router,
                configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? 0
                    FileHandle.standardOutput.write(
                        Data("goapi=\(goapi.baseURL)\npeers=http://127.0.0.1:\(port)\n".utf8)
                    )
                },
                logger: logger
            )
            try await application.runService()
        }
    }

    private static func json(status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// Whether `needle` occurs in `haystack`.
    private static func contains(_ haystack: ByteBufferView, _ needle: [UInt8]) -> Bool {
        let bytes = Array(haystack)
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
