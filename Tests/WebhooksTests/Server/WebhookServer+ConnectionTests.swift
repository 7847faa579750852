import BridgeTesting
import Foundation
import Testing
import Webhooks

/// How the webhook server treats connections from clients that stall or send what it refuses.
@Suite struct WebhookServerConnectionTests {
    /// A client that opens a request and then sends nothing more (slowloris) must not hold a connection for ever:
    /// each one costs a file descriptor and a task, and enough of them exhaust the process's descriptors, which the
    /// IRC connection, the database and reply delivery share.
    @Test func aStalledRequestIsClosed() async throws {
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            idleTimeout: .seconds(1)
        ) { harness in
            let connection = try await RawHTTPConnection.connect(port: harness.port)
            defer { Task { await connection.close() } }
            try await connection.send("POST /hooks/team HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n")
            #expect(
                try await connection.waitForClose(timeout: .seconds(15)),
                "a connection idle in the middle of a request head is still open after 15 s (the idle timeout is 1 s)"
            )
        }
    }

    /// A body sent a byte at a time, each byte well within the idle timeout, must still end: the idle timeout
    /// starts again with every byte, so before, such a request held its connection for as long as the client
    /// liked, and a thousand of them (no signature needed) held every connection the server allows.
    @Test func aBodyTrickledByteByByteGets408AndTheConnectionEnds() async throws {
        let answerer = FakeAnswerer()
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            idleTimeout: .seconds(2),
            answerer: answerer
        ) { harness in
            let connection = try await RawHTTPConnection.connect(port: harness.port)
            defer { Task { await connection.close() } }
            try await connection.send(
                "POST /hooks/team HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n"
            )
            let started = ContinuousClock.now
            // 60 bytes, one every 0.5 s: 30 s in all, each gap a quarter of the idle timeout.
            for _ in 0..<60 where connection.received.isEmpty && ContinuousClock.now - started < .seconds(30) {
                try? await connection.send("x")
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(connection.received.hasPrefix("HTTP/1.1 408"), "\(connection.received)")
            #expect(connection.received.contains(#""code":"request_timeout""#))
            #expect(try await connection.waitForClose(timeout: .seconds(10)))
            let took = ContinuousClock.now - started
            #expect(took < .seconds(20), "the request was cut after \(took); its body had 2 s")
        }
        #expect(answerer.questions.isEmpty)
    }

    /// A body that arrives in pieces within the time is read and answered as any other.
    @Test func aBodyInSeveralPiecesWithinTheTimeIsAnswered() async throws {
        let answerer = FakeAnswerer()
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            idleTimeout: .seconds(5),
            answerer: answerer
        ) { harness in
            let body = Self.question
            let connection = try await RawHTTPConnection.connect(port: harness.port)
            defer { Task { await connection.close() } }
            try await connection.send(Self.signedHead(for: body, id: "msg_pieces"))
            for piece in [body.prefix(10), body.dropFirst(10).prefix(20), body.dropFirst(30)] {
                try await Task.sleep(for: .milliseconds(300))
                try await connection.send(String(piece))
            }
            #expect(try await connection.waitForReceived(timeout: .seconds(30)) { $0.contains("HTTP/1.1 200") })
        }
        #expect(answerer.questions.map(\.text) == ["What is six times seven?"])
    }

    /// A refused body must not keep costing: after 413 the server closes the connection instead of reading (and
    /// throwing away) whatever the client keeps sending, up to the declared length or for ever when chunked.
    @Test(arguments: [
        "Content-Length: 100000000\r\n\r\n" + String(repeating: "x", count: 100),
        "Transfer-Encoding: chunked\r\n\r\n800\r\n" + String(repeating: "x", count: 2048) + "\r\n",
    ])
    func aRefusedBodyEndsTheConnection(framingAndBody: String) async throws {
        let answerer = FakeAnswerer()
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            maxBodyBytes: 1024,
            answerer: answerer
        ) { harness in
            let connection = try await RawHTTPConnection.connect(port: harness.port)
            defer { Task { await connection.close() } }
            try await connection.send(
                "POST /hooks/team HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n" + framingAndBody
            )
            #expect(try await connection.waitForReceived(timeout: .seconds(30)) { $0.contains("body_too_large") })
            #expect(connection.received.hasPrefix("HTTP/1.1 413"))
            // The client has more to send; the server should not wait for it.
            #expect(
                try await connection.waitForClose(timeout: .seconds(10)),
                "the connection is still open 10 s after the 413, waiting for the rest of the refused body"
            )
        }
        #expect(answerer.questions.isEmpty)
    }

    /// A client that asks for the connection to end after the response (`Connection: close` in any spelling) gets
    /// it closed, as HTTP/1.1 requires; else it waits for a close.
    @Test(arguments: [
        "GET /hooks/team HTTP/1.1\r\nHost: test\r\nConnection: Close\r\n\r\n",
        "GET /hooks/team HTTP/1.1\r\nHost: test\r\nConnection: keep-alive, CLOSE\r\n\r\n",
    ])
    func theConnectionIsClosedWhenTheClientAsks(request: String) async throws {
        try await WebhookTestHarness.withServer(endpoints: [
            WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))
        ]) { harness in
            let connection = try await RawHTTPConnection.connect(port: harness.port)
            defer { Task { await connection.close() } }
            try await connection.send(request)
            #expect(try await connection.waitForReceived(timeout: .seconds(30)) { $0.contains("method_not_allowed") })
            #expect(try await connection.waitForClose(timeout: .seconds(20)), "still open 20 s after the response")
        }
    }

    /// An HTTP/1.0 request without `keep-alive` ends its connection; a client that reads the response until the
    /// server closes (as HTTP/1.0 clients may) otherwise waits out the idle timeout.
    @Test func anHTTP10RequestEndsItsConnection() async throws {
        try await WebhookTestHarness.withServer(endpoints: [
            WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))
        ]) { harness in
            let connection = try await RawHTTPConnection.connect(port: harness.port)
            defer { Task { await connection.close() } }
            try await connection.send("GET /hooks/team HTTP/1.0\r\nHost: test\r\n\r\n")
            #expect(try await connection.waitForReceived(timeout: .seconds(30)) { $0.contains("method_not_allowed") })
            #expect(try await connection.waitForClose(timeout: .seconds(20)), "still open 20 s after the response")
            #expect(connection.received.lowercased().contains("connection: close"))
        }
    }

    /// A client sending `Expect: 100-continue` waits for the interim `100` before its body (curl for a second,
    /// some clients for good): it gets one at once, and then the answer.
    @Test func expectContinueGetsAnInterim100BeforeTheBodyIsSent() async throws {
        let answerer = FakeAnswerer()
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            answerer: answerer
        ) { harness in
            let body = Self.question
            let connection = try await RawHTTPConnection.connect(port: harness.port)
            defer { Task { await connection.close() } }
            try await connection.send(Self.signedHead(for: body, id: "msg_continue", extra: "Expect: 100-Continue\r\n"))
            #expect(
                try await connection.waitForReceived(timeout: .seconds(30)) { $0.contains("\r\n\r\n") },
                "no interim response to Expect: 100-continue"
            )
            #expect(connection.received == "HTTP/1.1 100 Continue\r\n\r\n")
            try await connection.send(body)
            #expect(try await connection.waitForReceived(timeout: .seconds(30)) { $0.contains("HTTP/1.1 200") })
        }
        #expect(answerer.questions.map(\.text) == ["What is six times seven?"])
    }

    /// A body declared larger than the limit is refused without being asked for: no `100`, only the 413.
    @Test func expectContinueWithAnOversizedBodyGets413Only() async throws {
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            maxBodyBytes: 1024
        ) { harness in
            let connection = try await RawHTTPConnection.connect(port: harness.port)
            defer { Task { await connection.close() } }
            try await connection.send(
                "POST /hooks/team HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: 5000\r\n\r\n"
            )
            #expect(try await connection.waitForReceived(timeout: .seconds(30)) { $0.contains("body_too_large") })
            #expect(connection.received.hasPrefix("HTTP/1.1 413"))
        }
    }

    /// Connections beyond `maxConnections` are closed as they arrive, so a flood of them cannot take the
    /// descriptors the IRC connections, the database and reply delivery need; once one closes, the next is served.
    @Test func connectionsBeyondTheLimitAreClosed() async throws {
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            maxConnections: 2
        ) { harness in
            let first = try await RawHTTPConnection.connect(port: harness.port)
            let second = try await RawHTTPConnection.connect(port: harness.port)
            // A request answered on each shows the server holds both.
            for connection in [first, second] {
                try await connection.send("GET /hooks/team HTTP/1.1\r\nHost: test\r\n\r\n")
                #expect(try await connection.waitForReceived(timeout: .seconds(30)) { $0.contains("405") })
            }
            let third = try await RawHTTPConnection.connect(port: harness.port)
            #expect(try await third.waitForClose(timeout: .seconds(10)), "a third connection is held over the limit")
            await first.close()
            let served = try await WebhookTestHarness.eventually {
                let next = try await RawHTTPConnection.connect(port: harness.port)
                defer { Task { await next.close() } }
                try? await next.send("GET /hooks/team HTTP/1.1\r\nHost: test\r\n\r\n")
                return try await next.waitForReceived(timeout: .seconds(2)) { $0.contains("405") }
            }
            #expect(served, "no connection is served after one of the two closed")
            await second.close()
        }
    }

    /// A question for the generic endpoint.
    static let question = #"{"thread": "t-1", "text": "What is six times seven?"}"#

    /// The head of a signed `POST /hooks/team` of `body`, with the `extra` header lines (each ending in CRLF).
    static func signedHead(for body: String, id: String, extra: String = "") throws -> String {
        let timestamp = Int(Date().timeIntervalSince1970)
        let signature = try StandardWebhookSigner(secret: WebhookTestHarness.secret)
            .signature(id: id, timestamp: timestamp, body: Data(body.utf8))
        return "POST /hooks/team HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n" + extra
            + "Content-Length: \(body.utf8.count)\r\nwebhook-id: \(id)\r\n"
            + "webhook-timestamp: \(timestamp)\r\nwebhook-signature: \(signature)\r\n\r\n"
    }
}
