import BridgeTesting
import Foundation
import Store
import Testing
import Webhooks

/// A live Slack endpoint on port 0 with a stub Slack Web API: what a Slack workspace would see.
@Suite struct SlackEndpointTests {
    /// Runs a server with one Slack endpoint, its delivery service and a stub Web API.
    static func withSlack(
        answerer: FakeAnswerer = FakeAnswerer(.reply("**Forty-two**, see [the guide](https://example.com/guide).")),
        now: @escaping @Sendable () -> Date = { Date() },
        _ body: (WebhookTestHarness, StubWebhookReceiver) async throws -> Void
    ) async throws {
        try await StubWebhookReceiver.withRunning(
            defaultAnswer: StubChatAPIs.slack(botToken: WebhookTestHarness.slackBotToken)
        ) { api in
            try await WebhookTestHarness.withServer(
                endpoints: [WebhookTestHarness.slack(apiBaseURL: api.baseURL)],
                answerer: answerer,
                now: now,
                delivery: WebhookDeliveryServiceTests.fastRetries
            ) { harness in
                try await body(harness, api)
            }
        }
    }

    /// The JSON body of a recorded API request.
    static func json(_ request: StubWebhookReceiver.RecordedRequest) -> [String: String] {
        ((try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any])?.compactMapValues { $0 as? String }
            ?? [:]
    }

    @Test func onlyQuestionsCountAgainstTheRateLimit() async throws {
        try await StubWebhookReceiver.withRunning(
            defaultAnswer: StubChatAPIs.slack(botToken: WebhookTestHarness.slackBotToken)
        ) { api in
            var endpoint = WebhookTestHarness.slack(apiBaseURL: api.baseURL)
            endpoint.rateLimit = .init(requests: 2, period: .seconds(60))
            try await WebhookTestHarness.withServer(endpoints: [endpoint]) { harness in
                // The bot's own DM replies come back as message events, one per posted part: ignored, and free.
                for index in 0..<5 {
                    let own: [String: Any] = [
                        "type": "message", "channel_type": "im", "channel": "D1", "user": "UBOT",
                        "text": "part \(index)", "ts": "1700000000.00020\(index)",
                    ]
                    let body = WebhookTestHarness.slackEvent(id: "EvOwn\(index)", own)
                    #expect(try await harness.postSlack(body: body).status == 200)
                }
                for index in 1...2 {
                    let mention = WebhookTestHarness.mention(ts: "1700000001.00000\(index)")
                    let body = WebhookTestHarness.slackEvent(id: "EvAsk\(index)", mention)
                    #expect(try await harness.postSlack(body: body).status == 200)
                }
                let third = WebhookTestHarness.slackEvent(
                    id: "EvAsk3",
                    WebhookTestHarness.mention(ts: "1700000001.000003")
                )
                let limited = try await harness.postSlack(body: third)
                #expect(limited.status == 429)
                #expect(limited.headers["retry-after"] != nil)
            }
        }
    }

    @Test func slackRetriesOfAQueuedEventDoNotUseUpTheRateLimit() async throws {
        try await StubWebhookReceiver.withRunning(
            defaultAnswer: StubChatAPIs.slack(botToken: WebhookTestHarness.slackBotToken)
        ) { api in
            var endpoint = WebhookTestHarness.slack(apiBaseURL: api.baseURL)
            endpoint.rateLimit = .init(requests: 2, period: .seconds(60))
            try await WebhookTestHarness.withServer(endpoints: [endpoint]) { harness in
                let first = WebhookTestHarness.slackEvent(
                    id: "EvAsk1",
                    WebhookTestHarness.mention(ts: "1700000001.000001")
                )
                #expect(try await harness.postSlack(body: first).status == 200)
                // Our acknowledgement was late, so Slack retries the event: acknowledged, and free.
                for attempt in 1...3 {
                    let retry = try await harness.postSlack(
                        body: first,
                        extraHeaders: [("x-slack-retry-num", "\(attempt)"), ("x-slack-retry-reason", "http_timeout")]
                    )
                    #expect(retry.status == 200)
                }
                let second = WebhookTestHarness.slackEvent(
                    id: "EvAsk2",
                    WebhookTestHarness.mention(ts: "1700000001.000002")
                )
                #expect(try await harness.postSlack(body: second).status == 200, "the second of two questions")
                let third = WebhookTestHarness.slackEvent(
                    id: "EvAsk3",
                    WebhookTestHarness.mention(ts: "1700000001.000003")
                )
                #expect(try await harness.postSlack(body: third).status == 429)
            }
        }
    }

    @Test func urlVerificationEchoesTheChallenge() async throws {
        try await Self.withSlack { harness, _ in
            let body =
                #"{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#
            let response = try await harness.postSlack(body: body)
            #expect(response.status == 200)
            #expect(response.json?["challenge"] as? String == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
        }
    }

    @Test func slacksPublishedSignatureExamplePassesTheLiveCheck() async throws {
        struct Vector: Decodable {
            var signing_secret: String
            var body: String
            var timestamp: String
            var signature: String
            enum CodingKeys: String, CodingKey {
                case signing_secret, body
                case timestamp = "X-Slack-Request-Timestamp"
                case signature = "X-Slack-Signature"
            }
        }
        let vector = try TestData.json(Vector.self, "webhooks/slack-signature.json")
        #expect(vector.signing_secret == WebhookTestHarness.slackSigningSecret)
        let signedAt = Date(timeIntervalSince1970: Double(vector.timestamp)!)
        try await Self.withSlack(now: { signedAt }) { harness, _ in
            func send(signature: String) async throws -> TestHTTPClient.Response {
                try await TestHTTPClient.send(
                    port: harness.port,
                    path: "/hooks/slack",
                    headers: [
                        ("content-type", "application/x-www-form-urlencoded"),
                        ("x-slack-request-timestamp", vector.timestamp), ("x-slack-signature", signature),
                    ],
                    body: Data(vector.body.utf8)
                )
            }
            // The example is a slash command: its signature holds, then the payload is refused by name.
            let genuine = try await send(signature: vector.signature)
            #expect(genuine.status == 400)
            #expect(genuine.json?["code"] as? String == "unsupported_payload")
            let forged = try await send(signature: "v0=" + String(repeating: "0", count: 64))
            #expect(forged.status == 401)
            #expect(forged.json?["code"] as? String == "invalid_signature")
        }
    }

    @Test func unsignedStaleAndWronglySignedRequestsAreRefused() async throws {
        try await Self.withSlack { harness, _ in
            let body = WebhookTestHarness.slackEvent(WebhookTestHarness.mention())
            let unsigned = try await TestHTTPClient.send(
                port: harness.port,
                path: "/hooks/slack",
                headers: [("content-type", "application/json")],
                body: Data(body.utf8)
            )
            #expect(unsigned.status == 401)
            #expect(unsigned.json?["code"] as? String == "missing_signature")
            let stale = try await harness.postSlack(body: body, timestamp: Int(Date().timeIntervalSince1970) - 301)
            #expect(stale.json?["code"] as? String == "stale_timestamp")
            let wrong = try await harness.postSlack(body: body, secret: "another app's secret")
            #expect(wrong.json?["code"] as? String == "invalid_signature")
            #expect(try await harness.store.pendingDeliveryCount() == 0)
        }
    }

    @Test func aMentionIsAnsweredOnceInItsThreadWhateverSlackRetries() async throws {
        let answerer = FakeAnswerer(.reply("**Forty-two**, see [the guide](https://example.com/guide)."))
        try await Self.withSlack(answerer: answerer) { harness, api in
            let event = WebhookTestHarness.mention()
            let first = try await harness.postSlack(body: WebhookTestHarness.slackEvent(id: "Ev1", event))
            #expect(first.status == 200)
            // Slack's retry of the same event, and the same message under a new event id.
            let retry = try await harness.postSlack(
                body: WebhookTestHarness.slackEvent(id: "Ev1", event),
                extraHeaders: [("x-slack-retry-num", "1"), ("x-slack-retry-reason", "http_timeout")]
            )
            #expect(retry.status == 200)
            let again = try await harness.postSlack(body: WebhookTestHarness.slackEvent(id: "Ev2", event))
            #expect(again.status == 200)

            let posts = try await api.waitForRequests(1)
            #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            #expect(api.requests.count == 1)
            #expect(answerer.questions.count == 1)
            #expect(answerer.questions.first?.thread == "C1/1700000000.000100")
            #expect(answerer.questions.first?.text == "what is the answer?")
            #expect(posts[0].path == "/chat.postMessage")
            #expect(posts[0].headers["authorization"] == "Bearer xoxb-test-token")
            let message = Self.json(posts[0])
            #expect(message["channel"] == "C1")
            #expect(message["thread_ts"] == "1700000000.000100")
            #expect(message["text"] == "*Forty-two*, see <https://example.com/guide|the guide>.")
        }
    }

    @Test func aReplyInAThreadContinuesThatThreadsConversation() async throws {
        let answerer = FakeAnswerer()
        try await Self.withSlack(answerer: answerer) { harness, api in
            let event = WebhookTestHarness.mention(ts: "1700000050.000200", threadTS: "1700000000.000100")
            #expect(try await harness.postSlack(body: WebhookTestHarness.slackEvent(event)).status == 200)
            let posts = try await api.waitForRequests(1)
            #expect(answerer.questions.first?.thread == "C1/1700000000.000100")
            #expect(Self.json(posts[0])["thread_ts"] == "1700000000.000100")
        }
    }

    @Test func directMessagesAreAnsweredAndBotsAreNot() async throws {
        let answerer = FakeAnswerer()
        try await Self.withSlack(answerer: answerer) { harness, api in
            let fromBot: [String: Any] = [
                "type": "message", "channel_type": "im", "channel": "D1", "user": "U9", "bot_id": "B9",
                "text": "I am a bot", "ts": "1.1",
            ]
            let fromSelf: [String: Any] = [
                "type": "message", "channel_type": "im", "channel": "D1", "user": "UBOT", "text": "my own reply",
                "ts": "1.2",
            ]
            let channelChatter: [String: Any] = [
                "type": "message", "channel_type": "channel", "channel": "C1", "user": "U1", "text": "hello all",
                "ts": "1.3",
            ]
            let edit: [String: Any] = [
                "type": "message", "subtype": "message_changed", "channel_type": "im", "channel": "D1", "ts": "1.4",
            ]
            let direct: [String: Any] = [
                "type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "hi &amp; hello",
                "ts": "1.5",
            ]
            for (index, event) in [fromBot, fromSelf, channelChatter, edit, direct].enumerated() {
                let response = try await harness.postSlack(body: WebhookTestHarness.slackEvent(id: "Ev\(index)", event))
                #expect(response.status == 200)
            }
            let posts = try await api.waitForRequests(1)
            #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            #expect(answerer.questions.map(\.text) == ["hi & hello"])
            #expect(api.requests.count == 1)
            #expect(Self.json(posts[0])["channel"] == "D1")
            #expect(Self.json(posts[0])["thread_ts"] == "1.5")
        }
    }

    @Test func slacksRateLimitIsHonouredBeforeTheRetry() async throws {
        try await Self.withSlack { harness, api in
            api.enqueue(.init(status: 429, headers: ["retry-after": "1"], body: #"{"ok":false,"error":"ratelimited"}"#))
            #expect(
                try await harness.postSlack(body: WebhookTestHarness.slackEvent(WebhookTestHarness.mention())).status
                    == 200
            )
            let posts = try await api.waitForRequests(2)
            #expect(posts[1].receivedAt - posts[0].receivedAt >= .milliseconds(950))
            #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            #expect(try await harness.store.deadLetters(limit: 5).isEmpty)
        }
    }

    /// Slack's `Retry-After` holds back every reply of the endpoint: before, a reply in another thread was sent
    /// within the window and refused in turn.
    @Test func slacksRateLimitHoldsBackTheOtherThreadsToo() async throws {
        try await Self.withSlack { harness, api in
            api.enqueue(.init(status: 429, headers: ["retry-after": "2"], body: #"{"ok":false,"error":"ratelimited"}"#))
            let first = WebhookTestHarness.mention(ts: "1700000000.000100")
            #expect(try await harness.postSlack(body: WebhookTestHarness.slackEvent(id: "Ev1", first)).status == 200)
            let refused = try await api.waitForRequests(1)
            let second = WebhookTestHarness.mention(ts: "1700000001.000100")
            #expect(try await harness.postSlack(body: WebhookTestHarness.slackEvent(id: "Ev2", second)).status == 200)
            let posts = try await api.waitForRequests(3)
            #expect(
                posts[1].receivedAt - refused[0].receivedAt >= .milliseconds(1_950),
                "a reply was sent \(posts[1].receivedAt - refused[0].receivedAt) after Slack asked for 2 s"
            )
            #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            #expect(Set(api.requests.dropFirst().map { Self.json($0)["thread_ts"] }).count == 2)
            #expect(try await harness.store.deadLetters(limit: 5).isEmpty)
        }
    }

    @Test func aLongAnswerIsPostedInOrderInTheSameThread() async throws {
        let paragraphs = (1...12).map { "Paragraph \($0):" + String(repeating: " word", count: 150) }
        let answerer = FakeAnswerer(.reply(paragraphs.joined(separator: "\n\n")))
        try await Self.withSlack(answerer: answerer) { harness, api in
            let response = try await harness.postSlack(
                body: WebhookTestHarness.slackEvent(WebhookTestHarness.mention())
            )
            #expect(response.status == 200)
            let drained = try await WebhookTestHarness.eventually {
                try await harness.store.pendingDeliveryCount() == 0
            }
            #expect(drained)
            let texts = api.requests.map { Self.json($0)["text"] ?? "" }
            #expect(texts.count == 3)
            #expect(texts.allSatisfy { $0.unicodeScalars.count <= 3_900 })
            #expect(Set(api.requests.map { Self.json($0)["thread_ts"] }) == ["1700000000.000100"])
            // Every paragraph arrives once, whole and in order.
            let joined = texts.joined(separator: "\n\n")
            #expect(joined == paragraphs.joined(separator: "\n\n"))
        }
    }

    @Test func aPermanentSlackErrorBecomesADeadLetterAfterOneAttempt() async throws {
        try await Self.withSlack { harness, api in
            api.enqueue(.init(status: 200, body: #"{"ok":false,"error":"channel_not_found"}"#))
            #expect(
                try await harness.postSlack(body: WebhookTestHarness.slackEvent(WebhookTestHarness.mention())).status
                    == 200
            )
            #expect(try await WebhookTestHarness.eventually { try await !harness.store.deadLetters(limit: 5).isEmpty })
            let letters = try await harness.store.deadLetters(limit: 5)
            #expect(letters.first?.reason.contains("channel_not_found") == true)
            #expect(api.requests.count == 1)
        }
    }

    @Test func aWrongBotTokenIsRetriedNotDropped() async throws {
        // invalid_auth is fixable by the operator (new token, restart), so the reply waits in the outbox.
        try await StubWebhookReceiver.withRunning(defaultAnswer: StubChatAPIs.slack(botToken: "xoxb-other")) { api in
            try await WebhookTestHarness.withServer(
                endpoints: [WebhookTestHarness.slack(apiBaseURL: api.baseURL)],
                delivery: WebhookDeliveryServiceTests.fastRetries
            ) { harness in
                #expect(
                    try await harness.postSlack(body: WebhookTestHarness.slackEvent(WebhookTestHarness.mention()))
                        .status == 200
                )
                _ = try await api.waitForRequests(2)
                #expect(try await harness.store.pendingDeliveryCount() == 1)
                #expect(try await harness.store.deadLetters(limit: 5).isEmpty)
            }
        }
    }
}
