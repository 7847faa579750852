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
            #expect(try await connection.waitForClose(timeout: .seconds(5)), "still open 5 s after the response")
        }
    }
}
