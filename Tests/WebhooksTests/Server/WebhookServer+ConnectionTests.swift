import BridgeTesting
import Foundation
import Testing
import Webhooks

/// How the webhook server treats connections from clients that stall.
@Suite struct WebhookServerConnectionTests {
    /// A client that opens a request and then sends nothing more (slowloris) must not hold a connection for ever:
    /// each one costs a file descriptor and a task, and enough of them exhaust the process's descriptors, which the
    /// IRC connection, the database and reply delivery share.
    @Test func aStalledRequestIsClosed() async throws {
        try await WebhookTestHarness.withServer(endpoints: [
            WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))
        ]) { harness in
            let connection = try await RawHTTPConnection.connect(port: harness.port)
            defer { Task { await connection.close() } }
            try await connection.send("POST /hooks/team HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n")
            #expect(
                try await connection.waitForClose(timeout: .seconds(45)),
                "a connection idle in the middle of a request head is still open after 45 s (the idle timeout is 30 s)"
            )
        }
    }
}
