import BridgeTesting
import GoAPI
import Logging
import Testing

@Suite(.timeLimit(.minutes(1))) struct ChatCompletionsClientTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A backup API, or a proxy whose upstream is stuck, that answers 200 with an event stream and then only sends
    /// keep-alive comments, never silent for the idle timeout. The HTTP client's own deadline covers only the wait for
    /// the head; without a bound on the whole answer this held the conversation (and a webhook question slot) for good.
    @Test func anAnswerEndsAtTheReplyTimeoutWhileTheServerOnlySendsKeepAlives() async throws {
        let keepAlives = StubWebhookReceiver.Answer(
            status: 200,
            headers: ["content-type": "text/event-stream"],
            trickle: (chunk: ": keep-alive\n\n", every: .milliseconds(100))
        )
        try await StubWebhookReceiver.withRunning(defaultAnswer: { _ in keepAlives }) { server in
            let client = ChatCompletionsClient(
                configuration: .init(
                    baseURL: server.baseURL,
                    apiKey: "k",
                    model: "m",
                    idleTimeout: .seconds(30),
                    replyTimeout: .seconds(1)
                )
            )
            let started = ContinuousClock.now
            let result = await client.complete([.init(role: "user", content: "hi")], logger: self.logger)
            let elapsed = ContinuousClock.now - started
            try? await client.shutdown()
            guard case .failure(let error) = result else {
                Issue.record("a stream of keep-alives was taken as an answer")
                return
            }
            #expect(error.code == .replyTimeout)
            #expect(elapsed < .seconds(25), "took \(elapsed) with a 1 s reply timeout and a 30 s idle timeout")
        }
    }

    /// The backup API's error text may quote the key it refused; the error (logged by the caller) does not.
    @Test func anErrorQuotingTheAPIKeyNeverRepeatsIt() async throws {
        let key = "sk-backup-test-0123456789"
        let refusal = StubWebhookReceiver.Answer(
            status: 401,
            headers: ["content-type": "application/json"],
            body: #"{"error": {"message": "Incorrect API key provided: \#(key)."}}"#
        )
        try await StubWebhookReceiver.withRunning(defaultAnswer: { _ in refusal }) { server in
            let client = ChatCompletionsClient(configuration: .init(baseURL: server.baseURL, apiKey: key, model: "m"))
            let result = await client.complete([.init(role: "user", content: "hi")], logger: self.logger)
            try? await client.shutdown()
            let error = try #require(result.failure)
            #expect(error.code == .unauthorized)
            #expect(!error.description.contains(key), "\(error)")
            #expect(error.description.contains("[redacted]"), "\(error)")
        }
    }
}
