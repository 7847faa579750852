import BridgeTesting
import Foundation
import Store
import Testing
import Webhooks

/// Live Mattermost endpoints on port 0, with a stub Mattermost REST API for async replies.
@Suite struct MattermostEndpointTests {
    /// Runs a server with an async Mattermost endpoint, its delivery service and a stub REST API that knows the
    /// thread roots in `roots`.
    static func withAsync(
        answerer: FakeAnswerer = FakeAnswerer(),
        roots: [String: String] = ["post1": ""],
        unreadable: Set<String> = [],
        _ body: (WebhookTestHarness, StubWebhookReceiver) async throws -> Void
    ) async throws {
        try await StubWebhookReceiver.withRunning(
            defaultAnswer: StubChatAPIs.mattermost(
                botToken: WebhookTestHarness.mattermostBotToken,
                roots: roots,
                unreadable: unreadable
            )
        ) { api in
            let mode = WebhookServer.MattermostMode.async(
                serverURL: api.baseURL,
                botToken: WebhookTestHarness.mattermostBotToken
            )
            try await WebhookTestHarness.withServer(
                endpoints: [WebhookTestHarness.mattermost(mode: mode)],
                answerer: answerer,
                delivery: WebhookDeliveryServiceTests.fastRetries
            ) { harness in
                try await body(harness, api)
            }
        }
    }

    /// The posts the bot made.
    static func posts(_ api: StubWebhookReceiver) -> [[String: String]] {
        api.requests.filter { $0.method == "POST" }.map {
            ((try? JSONSerialization.jsonObject(with: $0.body)) as? [String: String]) ?? [:]
        }
    }

    @Test(arguments: [false, true])
    func syncModeAnswersWithAThreadedComment(json: Bool) async throws {
        let answerer = FakeAnswerer(.reply("**Forty-two.**"))
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.mattermost(mode: .sync(timeout: .seconds(5)))],
            answerer: answerer
        ) { harness in
            let response = try await harness.postMattermost(fields: WebhookTestHarness.mattermostFields(), json: json)
            #expect(response.status == 200)
            #expect(response.json?["text"] as? String == "**Forty-two.**")
            #expect(response.json?["response_type"] as? String == "comment")
            #expect(answerer.questions.first?.text == "what is the answer?")
            #expect(answerer.questions.first?.thread == "chan1/post1")
            #expect(answerer.questions.first?.user == "alice")

            // The same post again gets no second question and no text: Mattermost would post the comment twice.
            let repeated = try await harness.postMattermost(fields: WebhookTestHarness.mattermostFields(), json: json)
            #expect(repeated.status == 200)
            #expect(repeated.json?.isEmpty == true, "\(String(decoding: repeated.body, as: UTF8.self))")
            #expect(answerer.questions.count == 1)
        }
    }

    @Test func syncModeShortensALongAnswerToOnePostAndSaysSo() async throws {
        let long = (1...8).map { "Section \($0):" + String(repeating: " text", count: 800) }.joined(separator: "\n\n")
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.mattermost(mode: .sync(timeout: .seconds(5)))],
            answerer: FakeAnswerer(.reply(long))
        ) { harness in
            let response = try await harness.postMattermost(fields: WebhookTestHarness.mattermostFields())
            let text = try #require(response.json?["text"] as? String)
            #expect(text.unicodeScalars.count < 16_383)
            #expect(text.hasPrefix("Section 1:"))
            #expect(text.hasSuffix("more characters not shown.)_"), "the asker is told the rest is missing")
        }
    }

    @Test func syncModeSaysSoWhenTheAnswerTakesTooLong() async throws {
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.mattermost(mode: .sync(timeout: .milliseconds(200)))],
            answerer: FakeAnswerer(.hang)
        ) { harness in
            let response = try await harness.postMattermost(fields: WebhookTestHarness.mattermostFields())
            #expect(response.status == 200)
            #expect((response.json?["text"] as? String)?.contains("no answer within") == true)
            #expect(response.json?["response_type"] as? String == "comment")
        }
    }

    @Test func aWrongOrMissingTokenIsRefusedBeforeAnythingIsKept() async throws {
        let answerer = FakeAnswerer()
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.mattermost(mode: .sync(timeout: .seconds(5)))],
            answerer: answerer
        ) { harness in
            let wrong = try await harness.postMattermost(fields: WebhookTestHarness.mattermostFields(token: "guess"))
            #expect(wrong.status == 401)
            #expect(wrong.json?["code"] as? String == "invalid_token")
            var fields = WebhookTestHarness.mattermostFields()
            fields["token"] = nil
            let missing = try await harness.postMattermost(fields: fields, json: true)
            #expect(missing.status == 401)
            #expect(answerer.questions.isEmpty)
            let remembered = try await harness.store.rememberDelivery(
                scope: "/hooks/mattermost",
                id: "post:post1",
                acknowledgement: nil,
                expiresAt: Date().addingTimeInterval(60),
                now: Date()
            )
            #expect(remembered == .new)
        }
    }

    @Test func badBodiesGetTheFieldNamedAndOtherMediaTypes415() async throws {
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.mattermost(mode: .sync(timeout: .seconds(5)))]
        ) { harness in
            var fields = WebhookTestHarness.mattermostFields()
            fields["post_id"] = nil
            let missing = try await harness.postMattermost(fields: fields)
            #expect(missing.status == 400)
            #expect((missing.json?["error"] as? String)?.contains("post_id") == true)
            let text = try await TestHTTPClient.send(
                port: harness.port,
                path: "/hooks/mattermost",
                headers: [("content-type", "text/plain")],
                body: Data("token=mm-outgoing-token".utf8)
            )
            #expect(text.status == 415)
            let malformed = try await TestHTTPClient.send(
                port: harness.port,
                path: "/hooks/mattermost",
                headers: [("content-type", "application/x-www-form-urlencoded")],
                body: Data("token=%ZZ".utf8)
            )
            #expect(malformed.status == 400)
        }
    }

    @Test func asyncModePostsIntoTheThreadOfTheTriggeringPost() async throws {
        let answerer = FakeAnswerer(.reply("Forty-two."))
        try await Self.withAsync(answerer: answerer, roots: ["post7": "root3"]) {
            (harness: WebhookTestHarness, api: StubWebhookReceiver) async throws in
            let fields = WebhookTestHarness.mattermostFields(postID: "post7")
            let response = try await harness.postMattermost(fields: fields)
            #expect(response.status == 200)
            #expect(response.json?.isEmpty == true)
            #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            // Looked up the bot account and the thread root, then posted as the bot into that thread.
            #expect(Self.calls(api) == ["GET /api/v4/users/me", "GET /api/v4/posts/post7", "POST /api/v4/posts"])
            #expect(api.requests.allSatisfy { $0.headers["authorization"] == "Bearer mm-bot-token" })
            #expect(answerer.questions.first?.thread == "chan1/root3")
            #expect(Self.posts(api) == [["channel_id": "chan1", "root_id": "root3", "message": "Forty-two."]])
        }
    }

    @Test func aReplyInAThreadWaitsForTheQuestionBeforeIt() async throws {
        let firstHeld = StubGate()
        let answerer = FakeAnswerer(.holdOn(text: "what is the answer?", until: firstHeld, reply: "Forty-two."))
        try await Self.withAsync(answerer: answerer) {
            (harness: WebhookTestHarness, api: StubWebhookReceiver) async throws in
            // The root post needs a lookup of its thread; the reply names its root and needs none, so without
            // lanes decided in arrival order it would be asked first.
            #expect(try await harness.postMattermost(fields: WebhookTestHarness.mattermostFields()).status == 200)
            let reply = WebhookTestHarness.mattermostFields(
                postID: "post2",
                text: "gpt and why?",
                extra: ["root_id": "post1"]
            )
            #expect(try await harness.postMattermost(fields: reply).status == 200)
            #expect(try await WebhookTestHarness.eventually { answerer.questions.count == 1 })
            try await Task.sleep(for: .milliseconds(300))
            #expect(answerer.questions.map(\.text) == ["what is the answer?"], "the reply waits for its thread")
            firstHeld.open()
            #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            #expect(answerer.questions.map(\.text) == ["what is the answer?", "and why?"])
            #expect(Set(answerer.questions.map(\.thread)) == ["chan1/post1"])
        }
    }

    @Test func aRootIdInThePayloadSavesTheLookupAndRepeatsAreNotAnswered() async throws {
        let answerer = FakeAnswerer()
        try await Self.withAsync(answerer: answerer) {
            (harness: WebhookTestHarness, api: StubWebhookReceiver) async throws in
            let fields = WebhookTestHarness.mattermostFields(postID: "post9", extra: ["root_id": "root1"])
            #expect(try await harness.postMattermost(fields: fields, json: true).status == 200)
            #expect(try await harness.postMattermost(fields: fields, json: true).status == 200)
            #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            #expect(Self.calls(api) == ["GET /api/v4/users/me", "POST /api/v4/posts"], "no thread lookup")
            #expect(answerer.questions.count == 1)
            #expect(Self.posts(api).first?["root_id"] == "root1")
        }
    }

    @Test func theBotsOwnPostIsNotAnsweredWhenAChannelWideWebhookSeesIt() async throws {
        let answerer = FakeAnswerer()
        try await Self.withAsync(answerer: answerer) {
            (harness: WebhookTestHarness, api: StubWebhookReceiver) async throws in
            #expect(try await harness.postMattermost(fields: WebhookTestHarness.mattermostFields()).status == 200)
            #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            // The stub named the bot's post `stubpost1`; Mattermost now sends it to the webhook.
            let echo = WebhookTestHarness.mattermostFields(postID: "stubpost1", text: "gpt Forty-two.")
            #expect(try await harness.postMattermost(fields: echo).status == 200)
            try await Task.sleep(for: .milliseconds(200))
            #expect(answerer.questions.count == 1)
            #expect(try await harness.store.pendingDeliveryCount() == 0)
        }
    }

    @Test func theBotsOwnPostIsNotAnsweredEvenBeforeItsIdIsKnown() async throws {
        let answerer = FakeAnswerer()
        try await Self.withAsync(answerer: answerer, roots: ["post1": "", "botpost": ""]) {
            (harness: WebhookTestHarness, api: StubWebhookReceiver) async throws in
            // Mattermost fires a channel-wide webhook while it creates the post, so the bot's post can arrive before
            // the bridge has its id: the author gives it away.
            let early = WebhookTestHarness.mattermostFields(
                postID: "botpost",
                text: "gpt Forty-two.",
                extra: ["user_id": StubChatAPIs.mattermostBotUserID, "user_name": "gptbot"]
            )
            #expect(try await harness.postMattermost(fields: early).status == 200)
            #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            #expect(answerer.questions.isEmpty)
            #expect(try await harness.store.deadLetters(limit: 5).isEmpty, "ignored, not failed")
            #expect(Self.calls(api) == ["GET /api/v4/users/me"])

            // People's posts are still answered, and the bot account is not looked up again.
            #expect(try await harness.postMattermost(fields: WebhookTestHarness.mattermostFields()).status == 200)
            #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            #expect(answerer.questions.map(\.text) == ["what is the answer?"])
            #expect(Self.calls(api) == ["GET /api/v4/users/me", "GET /api/v4/posts/post1", "POST /api/v4/posts"])
        }
    }

    /// The API calls the bot made, as `METHOD path`.
    static func calls(_ api: StubWebhookReceiver) -> [String] {
        api.requests.map { "\($0.method) \($0.path)" }
    }

    @Test func aDeletedPostIsDroppedAndAWrongBotTokenWaits() async throws {
        try await Self.withAsync(roots: [:]) { (harness: WebhookTestHarness, api: StubWebhookReceiver) async throws in
            #expect(try await harness.postMattermost(fields: WebhookTestHarness.mattermostFields()).status == 200)
            #expect(try await WebhookTestHarness.eventually { try await !harness.store.deadLetters(limit: 5).isEmpty })
            #expect(try await harness.store.deadLetters(limit: 5).first?.reason.contains("deleted") == true)
        }
        try await StubWebhookReceiver.withRunning(
            defaultAnswer: StubChatAPIs.mattermost(botToken: "another-token", roots: ["post1": ""])
        ) { api in
            let mode = WebhookServer.MattermostMode.async(serverURL: api.baseURL, botToken: "mm-bot-token")
            try await WebhookTestHarness.withServer(
                endpoints: [WebhookTestHarness.mattermost(mode: mode)],
                delivery: WebhookDeliveryServiceTests.fastRetries
            ) { harness in
                #expect(try await harness.postMattermost(fields: WebhookTestHarness.mattermostFields()).status == 200)
                _ = try await api.waitForRequests(2)
                #expect(try await harness.store.pendingDeliveryCount() == 1)
                #expect(try await harness.store.deadLetters(limit: 5).isEmpty)
            }
        }
    }

    /// A post the bot may not read (403: it is not in the channel) is given up at once, as a 403 on the answer's
    /// post is; before, the lookup was retried for the whole give-up age (a day) and the question was lost then.
    @Test func aPostTheBotMayNotReadIsGivenUpAtOnce() async throws {
        let answerer = FakeAnswerer()
        try await Self.withAsync(answerer: answerer, unreadable: ["post1"]) {
            (harness: WebhookTestHarness, api: StubWebhookReceiver) async throws in
            #expect(try await harness.postMattermost(fields: WebhookTestHarness.mattermostFields()).status == 200)
            #expect(try await WebhookTestHarness.eventually { try await !harness.store.deadLetters(limit: 5).isEmpty })
            let letter = try #require(try await harness.store.deadLetters(limit: 5).first)
            #expect(letter.reason.contains("403"), "\(letter.reason)")
            #expect(letter.reason.contains("must be in the channel"), "\(letter.reason)")
            #expect(Self.calls(api).filter { $0 == "GET /api/v4/posts/post1" }.count == 1)
            #expect(answerer.questions.isEmpty)
        }
    }

    @Test func longAnswersArePostsUnderMattermostsLimit() async throws {
        let long = (1...8).map { "Section \($0):" + String(repeating: " text", count: 800) }.joined(separator: "\n\n")
        try await Self.withAsync(answerer: FakeAnswerer(.reply(long))) {
            (harness: WebhookTestHarness, api: StubWebhookReceiver) async throws in
            #expect(try await harness.postMattermost(fields: WebhookTestHarness.mattermostFields()).status == 200)
            #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            let posts = Self.posts(api)
            #expect(posts.count == 3)
            #expect(posts.allSatisfy { ($0["message"]?.unicodeScalars.count ?? 0) < 16_383 })
            #expect(posts.map { $0["message"] ?? "" }.joined(separator: "\n\n") == long)
        }
    }

    /// A channel-wide outgoing webhook also fires on the bot's own answers, which are remembered and never answered.
    /// They must not use up the rate limit: Mattermost never retries a refused webhook, so the next person's
    /// question, refused with 429, would be lost without a word.
    @Test func theBotsOwnPostsDoNotUseUpTheRateLimit() async throws {
        try await StubWebhookReceiver.withRunning(
            defaultAnswer: StubChatAPIs.mattermost(
                botToken: WebhookTestHarness.mattermostBotToken,
                roots: ["post1": "", "post2": ""]
            )
        ) { api in
            let endpoint = WebhookServer.Endpoint(
                path: "/hooks/mattermost",
                kind: .mattermost(
                    .init(
                        token: WebhookTestHarness.mattermostToken,
                        mode: .async(serverURL: api.baseURL, botToken: WebhookTestHarness.mattermostBotToken)
                    )
                ),
                rateLimit: .init(requests: 2, period: .seconds(3600))
            )
            try await WebhookTestHarness.withServer(
                endpoints: [endpoint],
                delivery: WebhookDeliveryServiceTests.fastRetries
            ) { harness in
                let first = WebhookTestHarness.mattermostFields(postID: "post1")
                #expect(try await harness.postMattermost(fields: first).status == 200)
                #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
                // The webhook fires on the bot's answer (the stub API named its post `stubpost1`), twice.
                let echo = WebhookTestHarness.mattermostFields(postID: "stubpost1", text: "gpt Forty-two.")
                #expect(try await harness.postMattermost(fields: echo).status == 200)
                #expect(try await harness.postMattermost(fields: echo).status == 200)
                let second = WebhookTestHarness.mattermostFields(postID: "post2", text: "gpt and the next question?")
                let response = try await harness.postMattermost(fields: second)
                #expect(response.status == 200, "got \(response.status) \(response.json ?? [:])")
            }
        }
    }
}
