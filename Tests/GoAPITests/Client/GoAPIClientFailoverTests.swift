import BridgeTesting
import GoAPI
import InMemoryLogging
import Logging
import Testing

/// `goapi.baseURL` as a list: an unreachable domain is skipped at once and remembered.
@Suite(.timeLimit(.minutes(1))) struct GoAPIClientFailoverTests {
    let logger = Logger(label: "failover-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func anUnreachableDomainIsSkippedAndTheNextAnswersWithoutSpendingARetry() async throws {
        try await withStubAndClient(configure: {
            // Port 1 refuses connections at once; the stub is the second domain. One attempt only: moving to the
            // next domain must not need a retry.
            $0.alternateBaseURLs = [$0.baseURL]
            $0.baseURL = "http://127.0.0.1:1"
            $0.retry = RetryPolicy(maxAttempts: 1)
        }) { stub, client in
            let (logger, logs) = makeTraceLogger()
            let first = try await client.ask(ConversationRequest(conversationID: nil, text: "one"), logger: logger) {
                _ in
            }.get()
            #expect(first.text == StubGoAPIServer.defaultReply)
            #expect(stub.conversationRequests.count == 1)

            // The choice is remembered: the next question goes straight to the reachable domain.
            _ = try await client.ask(
                ConversationRequest(conversationID: first.conversationID, text: "two"),
                logger: logger
            ) { _ in }.get()
            #expect(
                stub.conversationRequests.map(\.path).last == "/api/chatgpt/v1/conversation/\(first.conversationID)"
            )
            let skips = logs.entries.filter {
                $0.message.description == "GoAPI domain unreachable; trying the next one"
            }
            #expect(skips.count == 1)
        }
    }

    @Test func whenEveryDomainIsDownTheQuestionFailsAsUnavailable() async throws {
        let client = GoAPIClient(
            configuration: .init(
                baseURL: "http://127.0.0.1:1",
                alternateBaseURLs: ["http://127.0.0.1:2"],
                apiKey: testAPIKey,
                retry: RetryPolicy(maxAttempts: 1)
            )
        )
        let result = await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) { _ in }
        try await client.shutdown()
        #expect(result.failure?.code == .connectFailed)
    }
}
