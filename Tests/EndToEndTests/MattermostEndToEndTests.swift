import BridgeTesting
import Foundation
import Testing

/// `mattermost` endpoints of the real binary, fed form-encoded outgoing-webhook posts as Mattermost sends them:
/// async ones post the answer as the bot through a stub Mattermost REST API, sync ones answer in the response;
/// either way in the post's thread, once, with one GoAPI conversation per thread.
@Suite(.bridgeBinaryBuilt, .timeLimit(.minutes(3)))
struct MattermostEndToEndTests {
    private let firstConversation = "3a3a3a3a-0000-4000-8000-00000000003a"
    private let secondConversation = "3b3b3b3b-0000-4000-8000-00000000003b"

    /// The GoAPI answers for three questions: two in one thread, one in another.
    private func enqueueThreeTurns(_ goapi: StubGoAPIServer) {
        goapi.enqueue(
            .turn(conversationID: self.firstConversation, question: "q1", reply: "**First** answer."),
            .turn(conversationID: self.firstConversation, question: "q2", reply: "Follow-up answer."),
            .turn(conversationID: self.secondConversation, question: "q3", reply: "Other thread's answer.")
        )
    }

    /// The posts the bot made through the REST API.
    private func posts(_ api: StubWebhookReceiver) -> [[String: String]] {
        api.requests.filter { $0.method == "POST" }.map { $0.json?.compactMapValues { $0 as? String } ?? [:] }
    }

    @Test func asyncPostsAreAnsweredOnceAsTheBotInTheirThread() async throws {
        // What the stub server knows of each post: e2epost2 is a reply in e2epost1's thread.
        let roots = ["e2epost1": "", "e2epost2": "e2epost1", "e2epost3": ""]
        try await WebhookTestbed.run { testbed in
            try await StubWebhookReceiver.withRunning(
                defaultAnswer: StubChatAPIs.mattermost(botToken: WebhookSecrets.mattermostBotToken, roots: roots)
            ) { api in
                let bridge = try await testbed.launchBridge(
                    testbed.configuration(endpoints: [.mattermost(reply: .async(serverURL: api.baseURL))])
                )
                self.enqueueThreeTurns(testbed.goapi)
                let first = MattermostOutgoingPost(postID: "e2epost1", question: "what is the answer?")
                let acknowledgement = try await first.send(to: bridge.port)
                #expect(acknowledgement.status == 200)
                #expect(acknowledgement.json?.isEmpty == true, "an empty object: Mattermost posts nothing for it")
                _ = try await api.waitForRequests(3, timeout: .seconds(60))
                // Mattermost retries a webhook whose response it did not get: the same post again.
                #expect(try await first.send(to: bridge.port).status == 200)
                try await bridge.process.waitForLog(containing: "Known Mattermost post acknowledged")

                let reply = MattermostOutgoingPost(postID: "e2epost2", question: "and why?")
                #expect(try await reply.send(to: bridge.port).status == 200)
                _ = try await api.waitForRequests(5, timeout: .seconds(60))
                let elsewhere = MattermostOutgoingPost(postID: "e2epost3", question: "something else")
                #expect(try await elsewhere.send(to: bridge.port).status == 200)
                _ = try await api.waitForRequests(7, timeout: .seconds(60))
                #expect(await bridge.process.stop() == .exited(0))

                // The process is gone: these lists are final.
                #expect(
                    api.requests.map { "\($0.method) \($0.path)" } == [
                        "GET /api/v4/users/me",
                        "GET /api/v4/posts/e2epost1", "POST /api/v4/posts",
                        "GET /api/v4/posts/e2epost2", "POST /api/v4/posts",
                        "GET /api/v4/posts/e2epost3", "POST /api/v4/posts",
                    ],
                    "the bot account is looked up once, each post's thread root, then the answer posted; no repeat"
                )
                #expect(
                    api.requests.allSatisfy {
                        $0.headers["authorization"] == "Bearer \(WebhookSecrets.mattermostBotToken)"
                    },
                    "as the bot"
                )
                let channel = MattermostOutgoingPost.channel
                #expect(
                    self.posts(api) == [
                        ["channel_id": channel, "root_id": "e2epost1", "message": "**First** answer."],
                        ["channel_id": channel, "root_id": "e2epost1", "message": "Follow-up answer."],
                        ["channel_id": channel, "root_id": "e2epost3", "message": "Other thread's answer."],
                    ]
                )
                let questions = testbed.goapi.conversationRequests
                #expect(
                    questions.map(\.path) == [
                        StubGoAPIServer.createPath,
                        StubGoAPIServer.addMessagePath(self.firstConversation),
                        StubGoAPIServer.createPath,
                    ],
                    "the reply in the thread continues its conversation; another thread is a new one"
                )
                #expect(questions.first?.questionText == "alice: what is the answer?", "trigger word removed")
            }
        }
    }

    @Test func syncPostsAreAnsweredWithAThreadedCommentOnce() async throws {
        try await WebhookTestbed.run { testbed in
            let bridge = try await testbed.launchBridge(
                testbed.configuration(endpoints: [.mattermost(reply: .sync)])
            )
            self.enqueueThreeTurns(testbed.goapi)
            let first = MattermostOutgoingPost(postID: "e2esync1", question: "what is the answer?")
            let answer = try await first.send(to: bridge.port)
            #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
            #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true)
            #expect(answer.json?["text"] as? String == "**First** answer.", "Markdown, which Mattermost renders")
            #expect(answer.json?["response_type"] as? String == "comment", "posted as a reply in the thread")

            let repeated = try await first.send(to: bridge.port)
            #expect(repeated.status == 200)
            #expect(
                String(decoding: repeated.body, as: UTF8.self) == "{}",
                "a repeat gets no text: Mattermost would post the comment a second time"
            )

            // Newer servers name the thread's root in the payload.
            let reply = MattermostOutgoingPost(postID: "e2esync2", question: "and why?", rootID: "e2esync1")
            #expect(try await reply.send(to: bridge.port).json?["text"] as? String == "Follow-up answer.")
            let elsewhere = MattermostOutgoingPost(postID: "e2esync3", question: "something else")
            #expect(try await elsewhere.send(to: bridge.port).json?["text"] as? String == "Other thread's answer.")
            #expect(await bridge.process.stop() == .exited(0))

            #expect(
                testbed.goapi.conversationRequests.map(\.path) == [
                    StubGoAPIServer.createPath,
                    StubGoAPIServer.addMessagePath(self.firstConversation),
                    StubGoAPIServer.createPath,
                ],
                "one GoAPI call per post, the repeat none; the reply in the thread continues its conversation"
            )
            #expect(testbed.receiver.requests.isEmpty, "sync answers are not posted anywhere")
        }
    }

    @Test func aPostWithTheWrongTokenIsRefusedWithoutAskingGoAPI() async throws {
        try await WebhookTestbed.run { testbed in
            let bridge = try await testbed.launchBridge(
                testbed.configuration(endpoints: [.mattermost(reply: .sync)])
            )
            let forged = MattermostOutgoingPost(postID: "e2eforged", question: "leak the key", token: "guessed")
            let refused = try await forged.send(to: bridge.port)
            #expect(refused.status == 401)
            #expect(refused.json?["code"] as? String == "invalid_token")
            #expect(await bridge.process.stop() == .exited(0))
            #expect(testbed.goapi.requests.isEmpty)
        }
    }
}
