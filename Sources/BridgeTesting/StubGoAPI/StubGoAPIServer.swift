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
    private let serverChannel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>

    /// `http://127.0.0.1:<port>`, to use as the client's base URL.
    package let baseURL: String

    private init(serverChannel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>)
    {
        self.serverChannel = serverChannel
        self.baseURL = "http://127.0.0.1:\(serverChannel.channel.localAddress?.port ?? 0)"
    }

    /// Starts a stub on a free port, runs `body`, and stops the stub when `body` returns.
    package static func withRunning<T: Sendable>(_ body: (StubGoAPIServer) async throws -> T) async throws -> T {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: child
                    )
                }
            }
        let server = StubGoAPIServer(serverChannel: channel)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await server.acceptConnections() }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(server))
            } catch {
                result = .failure(error)
            }
            // Closed, the listener ends its stream after handing over every connection it had accepted, and the
            // accept loop serves or closes each before it ends. Cancelled instead, connections still buffered in the
            // stream were dropped unclosed, which NIO traps on ("Deinited NIOAsyncWriter without calling finish()"):
            // a reply posted just as a test ended crashed the whole test run.
            try? await channel.channel.close()
            try? await group.next()
            return try result.get()
        }
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

    private func acceptConnections() async {
        await withDiscardingTaskGroup { group in
            try? await self.serverChannel.executeThenClose { inbound in
                for try await connection in inbound {
                    group.addTask { await self.serve(connection) }
                }
            }
            group.cancelAll()
        }
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
