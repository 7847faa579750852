import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An in-process HTTP server that speaks GoAPI's Conversation API the way its documentation shows, and can be
/// told to fail in every way the real service does. Tests reach it over real HTTP on 127.0.0.1.
package final class StubGoAPIServer: Sendable {
    /// A request the stub received.
    package struct RecordedRequest: Sendable {
        /// `POST`, usually.
        package var method: String
        /// The request path, e.g. `/api/chatgpt/v1/conversation/abc`.
        package var path: String
        /// Header names lowercased.
        package var headers: [String: String]
        /// The raw body.
        package var body: Data

        /// The body parsed as a JSON object, if it is one.
        package var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: self.body)) as? [String: Any]
        }

        /// The first element of `content.parts` in a conversation request body.
        package var questionText: String? {
            ((self.json?["content"] as? [String: Any])?["parts"] as? [String])?.first
        }
    }

    private struct State {
        var behaviours: [Behaviour] = []
        var requests: [RecordedRequest] = []
        var downloads = DownloadBehaviour.succeed
        var conversationCounter = 0
        var completedConversations = 0
        var inFlight = 0
        var maximumInFlight = 0
        var openConnections = 0
        var acceptedConnections = 0
    }

    /// The answer given when no behaviour is queued.
    package static let defaultReply = "Stub answer."

    private let state = Mutex(State())
    /// `http://127.0.0.1:<port>`, to use as the client's base URL.
    package let baseURL: String

    private init(baseURL: String) {
        self.baseURL = baseURL
    }

    /// Starts a stub on a free port, runs `body`, and stops the stub when `body` returns.
    package static func withRunning<T: Sendable>(_ body: (StubGoAPIServer) async throws -> T) async throws -> T {
        let listener = try await StubHTTPListener.bind()
        let server = StubGoAPIServer(baseURL: listener.baseURL)
        return try await listener.run(serving: { await server.serve($0) }) { try await body(server) }
    }

    /// Queues behaviours for the next conversation requests, in order.
    package func enqueue(_ behaviours: Behaviour...) {
        self.state.withLock { $0.behaviours.append(contentsOf: behaviours) }
    }

    /// Sets how image download requests are answered.
    package func setDownloads(_ behaviour: DownloadBehaviour) {
        self.state.withLock { $0.downloads = behaviour }
    }

    /// Every request received so far, in order.
    package var requests: [RecordedRequest] {
        self.state.withLock { $0.requests }
    }

    /// The most conversation requests the stub was answering at the same time.
    package var maximumConcurrentConversations: Int {
        self.state.withLock { $0.maximumInFlight }
    }

    /// Client connections accepted so far.
    package var acceptedConnections: Int {
        self.state.withLock { $0.acceptedConnections }
    }

    /// Client connections open now, idle or not.
    package var openConnections: Int {
        self.state.withLock { $0.openConnections }
    }

    /// Conversation requests being answered now: received, and their answer not yet complete on the wire.
    package var conversationsInFlight: Int {
        self.state.withLock { $0.inFlight }
    }

    /// Conversation responses written to the end, `[DONE]` and all.
    package var completedConversations: Int {
        self.state.withLock { $0.completedConversations }
    }

    /// Conversation requests only (image downloads left out).
    package var conversationRequests: [RecordedRequest] {
        self.requests.filter { !$0.path.hasSuffix("/download") }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        self.state.withLock {
            $0.openConnections += 1
            $0.acceptedConnections += 1
        }
        defer { self.state.withLock { $0.openConnections -= 1 } }
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = Data()
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body = Data()
                case .body(let buffer):
                    body.append(contentsOf: buffer.readableBytesView)
                case .end:
                    guard let requestHead = head else { continue }
                    let keepOpen = try await self.respond(to: self.record(requestHead, body), outbound: outbound)
                    if !keepOpen { return }
                }
            }
        }
    }

    private func record(_ head: HTTPRequestHead, _ body: Data) -> RecordedRequest {
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        let request = RecordedRequest(method: "\(head.method)", path: head.uri, headers: headers, body: body)
        self.state.withLock { $0.requests.append(request) }
        return request
    }

    /// Picks the behaviour for a conversation request (or answers a download); `false` closes the connection.
    private func respond(
        to request: RecordedRequest,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws -> Bool {
        let writer = StubResponseWriter(outbound: outbound)
        if request.path.hasSuffix("/download") {
            try await self.answerDownload(request, writer)
            return true
        }
        let (behaviour, conversationID) = self.state.withLock { state -> (Behaviour, String) in
            let behaviour = state.behaviours.isEmpty ? .reply(Self.defaultReply) : state.behaviours.removeFirst()
            state.conversationCounter += 1
            state.inFlight += 1
            state.maximumInFlight = max(state.maximumInFlight, state.inFlight)
            let prefix = "/api/chatgpt/v1/conversation/"
            let id =
                request.path.hasPrefix(prefix)
                ? String(request.path.dropFirst(prefix.count))
                : String(format: "00000000-0000-4000-8000-%012d", state.conversationCounter)
            return (behaviour, id)
        }
        // In flight until the answer is complete on the wire (the client may start its next request from then on),
        // or until the response ends some other way.
        var finished = false
        let finish = {
            if !finished { self.state.withLock { $0.inFlight -= 1 } }
            finished = true
        }
        defer { finish() }
        let keepOpen = try await writer.perform(
            behaviour,
            conversationID: conversationID,
            question: request.questionText ?? "",
            answered: finish
        )
        self.state.withLock { $0.completedConversations += 1 }
        return keepOpen
    }

    private func answerDownload(_ request: RecordedRequest, _ writer: StubResponseWriter) async throws {
        let fileID = request.json?["file_id"] as? String ?? "unknown"
        switch self.state.withLock({ $0.downloads }) {
        case .succeed:
            let body = #"{"code": 200, "data": {"download_url": "https://files.example/\#(fileID).png"}}"#
            try await writer.writeWhole(status: 200, body: body, headers: [:])
        case .fail:
            try await writer.writeWhole(
                status: 500,
                body: #"{"code": 500, "message": "download failed"}"#,
                headers: [:]
            )
        }
    }
}
