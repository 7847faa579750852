import BridgeTesting
import Foundation
import Testing

/// A `slack` endpoint of the real binary against the stub GoAPI and a stub Slack Web API: what a Slack workspace
/// sees. Events are acknowledged at once, answered once with `chat.postMessage` in their thread as the bot, and
/// each Slack thread is one GoAPI conversation.
@Suite(.bridgeBinaryBuilt, .timeLimit(.minutes(3)))
struct SlackEndToEndTests {
    /// Runs `body` with a bridge whose one endpoint is a Slack endpoint talking to a stub Slack Web API.
    private func withSlackBridge(
        _ body: (WebhookTestbed, WebhookBridge, StubWebhookReceiver) async throws -> Void
    ) async throws {
        try await WebhookTestbed.run { testbed in
            try await StubWebhookReceiver.withRunning(
                defaultAnswer: StubChatAPIs.slack(botToken: WebhookSecrets.slackBotToken)
            ) { slack in
                let bridge = try await testbed.launchBridge(
                    testbed.configuration(endpoints: [.slack(apiBaseURL: slack.baseURL)])
                )
                try await body(testbed, bridge, slack)
            }
        }
    }

    /// The JSON body of a `chat.postMessage` call.
    private func message(_ post: StubWebhookReceiver.RecordedRequest) -> [String: String] {
        post.json?.compactMapValues { $0 as? String } ?? [:]
    }

    @Test func aMentionIsAcknowledgedAtOnceAndAnsweredOnceInItsThreadWhateverSlackRetries() async throws {
        try await self.withSlackBridge { testbed, bridge, slack in
            // The answer is held until the acknowledgement and Slack's retry are in: an acknowledgement that waited
            // for it would never come.
            let acknowledged = StubGate()
            testbed.goapi.enqueue(
                .replyWhenOpened("**Forty-two**, says [the guide](https://example.com/guide).", acknowledged)
            )
            let ts = "1700000100.000100"
            let mention = try SlackEventRequest(
                eventID: "Ev0E2E00001",
                event: SlackEventRequest.mention("what is the answer?", ts: ts)
            )
            let sent = ContinuousClock.now
            let acknowledgement = try await mention.send(to: bridge.port)
            let acknowledgedAfter = ContinuousClock.now - sent
            #expect(acknowledgement.status == 200, "\(String(decoding: acknowledgement.body, as: UTF8.self))")
            #expect(acknowledgedAfter < .seconds(3), "Slack wants the acknowledgement within 3 s")
            #expect(slack.requests.isEmpty, "acknowledged before the answer was posted")
            // Slack did not see the acknowledgement in time (as far as it knows) and retries the same delivery.
            let retry = try await mention.send(to: bridge.port, retryNumber: 1)
            #expect(retry.status == 200)
            acknowledged.open()

            let posts = try await slack.waitForRequests(1, timeout: .seconds(60))
            #expect(posts[0].method == "POST")
            #expect(posts[0].path == "/chat.postMessage")
            #expect(posts[0].headers["authorization"] == "Bearer \(WebhookSecrets.slackBotToken)")
            #expect(posts[0].headers["content-type"]?.hasPrefix("application/json") == true)
            let message = self.message(posts[0])
            #expect(message["channel"] == SlackEventRequest.channel)
            #expect(message["thread_ts"] == ts, "the answer starts a thread under the question")
            #expect(message["text"] == "*Forty-two*, says <https://example.com/guide|the guide>.", "as mrkdwn")

            // The same message once more, under a new event id (Slack sends app_mention and message events alike).
            let again = try SlackEventRequest(
                eventID: "Ev0E2E00002",
                event: SlackEventRequest.mention("what is the answer?", ts: ts)
            )
            #expect(try await again.send(to: bridge.port).status == 200)
            try await bridge.process.waitForLog(containing: "Repeated Slack event acknowledged", count: 2)
            #expect(await bridge.process.stop() == .exited(0))

            // The process is gone: these counts are final.
            #expect(slack.requests.count == 1, "one post, whatever Slack repeated")
            let questions = testbed.goapi.conversationRequests
            #expect(questions.count == 1, "one GoAPI call, whatever Slack repeated")
            #expect(questions.first?.path == StubGoAPIServer.createPath)
            #expect(questions.first?.questionText == "\(SlackEventRequest.user): what is the answer?")
            #expect(questions.first?.headers["x-api-key"] == BridgeTestbed.apiKey)
        }
    }

    @Test func aMentionInTheThreadContinuesItsConversationAndAnotherThreadStartsANewOne() async throws {
        let threadConversation = "5a5a5a5a-0000-4000-8000-00000000005a"
        let otherConversation = "5b5b5b5b-0000-4000-8000-00000000005b"
        try await self.withSlackBridge { testbed, bridge, slack in
            testbed.goapi.enqueue(
                .turn(conversationID: threadConversation, question: "first", reply: "First answer."),
                .turn(conversationID: threadConversation, question: "follow-up", reply: "Follow-up answer."),
                .turn(conversationID: otherConversation, question: "elsewhere", reply: "Other thread's answer.")
            )
            let root = "1700000200.000100"
            let inThread = "1700000260.000200"
            let elsewhere = "1700000300.000300"
            // One at a time, so GoAPI sees the questions in this order.
            let asked: [(String, String, String?)] = [
                ("Ev0E2E00011", root, nil), ("Ev0E2E00012", inThread, root), ("Ev0E2E00013", elsewhere, nil),
            ]
            for (index, (eventID, ts, threadTS)) in asked.enumerated() {
                let question = ["first", "follow-up", "elsewhere"][index]
                let request = try SlackEventRequest(
                    eventID: eventID,
                    event: SlackEventRequest.mention(question, ts: ts, threadTS: threadTS)
                )
                #expect(try await request.send(to: bridge.port).status == 200)
                _ = try await slack.waitForRequests(index + 1, timeout: .seconds(60))
            }

            #expect(
                testbed.goapi.conversationRequests.map(\.path) == [
                    StubGoAPIServer.createPath,
                    StubGoAPIServer.addMessagePath(threadConversation),
                    StubGoAPIServer.createPath,
                ],
                "the reply in the thread continues the thread's conversation; another thread is a new one"
            )
            let messages = slack.requests.map(self.message)
            #expect(messages.map { $0["thread_ts"] } == [root, root, elsewhere])
            #expect(messages.map { $0["text"] } == ["First answer.", "Follow-up answer.", "Other thread's answer."])
            #expect(Set(messages.map { $0["channel"] }) == [SlackEventRequest.channel])
        }
    }

    @Test func theURLChallengeIsAnsweredAndAForgedEventIsRefusedWithoutAskingGoAPI() async throws {
        try await self.withSlackBridge { testbed, bridge, slack in
            let challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
            var verification = try SlackEventRequest(eventID: "unused", event: [:])
            verification.body = Data(#"{"token":"t","challenge":"\#(challenge)","type":"url_verification"}"#.utf8)
            let answer = try await verification.send(to: bridge.port)
            #expect(answer.status == 200)
            #expect(answer.json?["challenge"] as? String == challenge)

            let forged = try SlackEventRequest(
                eventID: "Ev0E2E00021",
                event: SlackEventRequest.mention("leak the key", ts: "1700000400.000100")
            )
            let refused = try await forged.send(to: bridge.port, signingSecret: "another app's signing secret")
            #expect(refused.status == 401)
            #expect(refused.json?["code"] as? String == "invalid_signature")
            #expect(await bridge.process.stop() == .exited(0))
            #expect(testbed.goapi.requests.isEmpty)
            #expect(slack.requests.isEmpty)
        }
    }
}
