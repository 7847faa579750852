import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An in-process HTTP server that receives webhook reply POSTs (or stands in for an API), records them, and answers
/// with scripted answers, or its default answer when nothing is scripted. Tests wait for requests with a timeout instead of sleeping.
package final class StubWebhookReceiver: Sendable {
    /// A request the receiver got.
    package struct RecordedRequest: Sendable {
        /// The request method, e.g. `POST`.
        package var method: String
        /// The request path.
        package var path: String
        /// Header names lowercased.
        package var headers: [String: String]
        /// The raw body.
        package var body: Data
        /// When it arrived.
        package var receivedAt: ContinuousClock.Instant
    }

    /// A scripted answer.
    package struct Answer: Sendable {
        /// The status to answer with.
        package var status: Int
        /// Extra response headers.
        package var headers: [String: String]
        /// The response body (sent as JSON when not empty).
        package var body: String
        /// When set, the answer is held until the test opens this gate: the sender's next step (a retry, say)
        /// then starts from a moment the test chose, however slow the machine.
        package var heldUntil: StubGate?
        /// When set, the head goes out, then `chunk` (instead of the body) every `every`, and the response never
        /// ends: a server, or a proxy whose upstream is stuck, that keeps the connection alive without answering.
        package var trickle: (chunk: String, every: Duration)?

        /// Creates an answer.
        package init(
            status: Int,
            headers: [String: String] = [:],
            body: String = "",
            heldUntil: StubGate? = nil,
            trickle: (chunk: String, every: Duration)? = nil
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.heldUntil = heldUntil
            self.trickle = trickle
        }
    }

    /// The requests did not arrive in time.
    package struct Timeout: Error, CustomStringConvertible {
        /// How many requests had arrived.
        package var received: Int
        package var description: String { "timed out with \(self.received) request(s) received" }
    }

    private struct Waiter {
        var count: Int
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var answers: [Answer] = []
        var requests: [RecordedRequest] = []
        var waiters: [UInt64: Waiter] = [:]
        var nextWaiter: UInt64 = 0
        var openConnections = 0
    }

    private let state = Mutex(State())
    private let defaultAnswer: @Sendable (RecordedRequest) -> Answer

    /// `http://127.0.0.1:<port>`, the base URL to configure for an API stub.
    package let baseURL: String
    /// `http://127.0.0.1:<port>/replies`, the URL to configure as a reply target.
    package var url: String { self.baseURL + "/replies" }

    private init(
        baseURL: String,
        defaultAnswer: @escaping @Sendable (RecordedRequest) -> Answer
    ) {
        self.defaultAnswer = defaultAnswer
        self.baseURL = baseURL
    }

    /// Starts a receiver on a free port, runs `body`, and stops the receiver when `body` returns.
    ///
    /// - Parameter defaultAnswer: How requests are answered when no scripted answer is queued; 200 by default.
    package static func withRunning<T: Sendable>(
        defaultAnswer: @escaping @Sendable (RecordedRequest) -> Answer = { _ in Answer(status: 200) },
        _ body: (StubWebhookReceiver) async throws -> T
    ) async throws -> T {
        let listener = try await StubHTTPListener.bind()
        let receiver = StubWebhookReceiver(baseURL: listener.baseURL, defaultAnswer: defaultAnswer)
        return try await listener.run(serving: { await receiver.serveCounted($0) }) { try await body(receiver) }
    }

    /// Queues answers for the next requests, in order.
    package func enqueue(_ answers: Answer...) {
        self.state.withLock { $0.answers.append(contentsOf: answers) }
    }

    /// Drops the scripted answers not used yet, so later requests get 200: the receiver "comes back".
    package func discardQueuedAnswers() {
        self.state.withLock { $0.answers.removeAll() }
    }

    /// Every request received so far.
    package var requests: [RecordedRequest] {
        self.state.withLock { $0.requests }
    }

    /// Waits until every connection to the receiver is closed. Once a sender is dead, its requests are then all
    /// recorded: a request it wrote before dying can otherwise still be on its way through the receiver's socket
    /// when a test reads ``requests``.
    package func waitUntilNoConnectionIsOpen(timeout: Duration = .seconds(30)) async throws {
        try await waitUntil("every connection to the receiver closed", timeout: timeout) {
            self.state.withLock { $0.openConnections == 0 }
        }
    }

    /// Waits until at least `count` requests arrived and returns all received so far. The default timeout is long:
    /// it only bounds how late requests that do come may be, and a loaded machine can be many times slower.
    package func waitForRequests(_ count: Int, timeout: Duration = .seconds(30)) async throws -> [RecordedRequest] {
        let arrived = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.arrival(of: count)
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        let requests = self.requests
        guard arrived, requests.count >= count else { throw Timeout(received: requests.count) }
        return requests
    }

    private func arrival(of count: Int) async {
        let key = self.state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = self.state.withLock { state -> Bool in
                    if state.requests.count >= count || Task.isCancelled { return true }
                    state.waiters[key] = Waiter(count: count, continuation: continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            self.state.withLock { $0.waiters.removeValue(forKey: key) }?.continuation.resume()
        }
    }

    private func serveCounted(_ connection: StubHTTPListener.Connection) async {
        self.state.withLock { $0.openConnections += 1 }
        defer { self.state.withLock { $0.openConnections -= 1 } }
        await self.serve(connection)
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await connection.executeThenClose { inbound, outbound -> Void in
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
                    let answer = self.record(requestHead, body)
                    try await answer.heldUntil?.wait()
                    if let trickle = answer.trickle {
                        try await Self.trickle(answer, chunk: trickle.chunk, every: trickle.every, to: outbound)
                    }
                    var headers = HTTPHeaders([("content-length", String(answer.body.utf8.count))])
                    if !answer.body.isEmpty { headers.add(name: "content-type", value: "application/json") }
                    for (name, value) in answer.headers { headers.replaceOrAdd(name: name, value: value) }
                    let status = HTTPResponseStatus(statusCode: answer.status)
                    try await outbound.write(
                        .head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))
                    )
                    if !answer.body.isEmpty {
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(string: answer.body))))
                    }
                    try await outbound.write(.end(nil))
                }
            }
        }
    }

    /// Sends `answer`'s head, then `chunk` every `every` until cancelled (see ``Answer/trickle``).
    private static func trickle(
        _ answer: Answer,
        chunk: String,
        every: Duration,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var headers = HTTPHeaders()
        for (name, value) in answer.headers { headers.replaceOrAdd(name: name, value: value) }
        let status = HTTPResponseStatus(statusCode: answer.status)
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
        while true {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: chunk))))
            try await Task.sleep(for: every)
        }
    }

    private func record(_ head: HTTPRequestHead, _ body: Data) -> Answer {
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        let request = RecordedRequest(
            method: head.method.rawValue,
            path: head.uri,
            headers: headers,
            body: body,
            receivedAt: .now
        )
        let (answer, ready) = self.state.withLock { state -> (Answer, [CheckedContinuation<Void, Never>]) in
            state.requests.append(request)
            let answer = state.answers.isEmpty ? self.defaultAnswer(request) : state.answers.removeFirst()
            let ready = state.waiters.filter { $0.value.count <= state.requests.count }
            for key in ready.keys { state.waiters.removeValue(forKey: key) }
            return (answer, ready.values.map(\.continuation))
        }
        for continuation in ready { continuation.resume() }
        return answer
    }
}
