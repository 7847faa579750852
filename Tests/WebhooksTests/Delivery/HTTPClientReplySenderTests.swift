import AsyncHTTPClient
import BridgeTesting
import NIOCore
import NIOPosix
import Testing
import Webhooks

@Suite(.timeLimit(.minutes(1))) struct HTTPClientReplySenderTests {
    @Test func aResponseOfTheRightStatusAndBodyIsReported() async throws {
        try await StubWebhookReceiver.withRunning(defaultAnswer: { _ in
            .init(status: 429, headers: ["retry-after": "7"], body: #"{"ok":false}"#)
        }) { receiver in
            try await Self.withSender(timeout: .seconds(10)) { sender in
                let result = try await sender.send(
                    OutgoingRequest(method: "POST", url: receiver.baseURL + "/replies", headers: [], body: [1])
                )
                #expect(result.status == 429)
                #expect(result.retryAfter == 7)
                #expect(result.body == Array(#"{"ok":false}"#.utf8))
            }
        }
    }

    /// A receiver that sends its head and then trickles its body, more often than the read timeout: the client's own
    /// timeout covers only the head, and the outbox has few reply slots, so such a send held one for good.
    @Test func aSendEndsAtItsTimeoutWhileTheReceiverTricklesItsBody() async throws {
        try await StubWebhookReceiver.withRunning(defaultAnswer: { _ in
            .init(status: 200, trickle: (chunk: " ", every: .milliseconds(100)))
        }) { receiver in
            try await Self.withSender(timeout: .seconds(1)) { sender in
                let started = ContinuousClock.now
                await #expect(throws: (any Error).self) {
                    _ = try await sender.send(
                        OutgoingRequest(method: "POST", url: receiver.baseURL + "/replies", headers: [], body: [1])
                    )
                }
                let elapsed = ContinuousClock.now - started
                #expect(elapsed < .seconds(30), "took \(elapsed) with a 1 s timeout against an endless body")
            }
        }
    }

    /// A sender on a client with a 30 s read timeout, as the bridge configures it.
    static func withSender(timeout: Duration, _ body: (HTTPClientReplySender) async throws -> Void) async throws {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(30))
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        do {
            try await body(HTTPClientReplySender(client: client, timeout: timeout))
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
