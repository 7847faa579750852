import BridgeTesting
import Foundation
import Testing

/// With every kind of secret configured and in use, on the paths that succeed and on those that fail (refused
/// signatures and tokens, GoAPI refusing the key, replies retried), and logging at its most verbose, none of them
/// reaches the binary's output: not the GoAPI key, the SASL password (nor the PLAIN payload carrying it), the Standard
/// Webhooks secret (whole, its base64 part, or the raw key), the Slack signing secret and bot token, nor the
/// Mattermost webhook and bot tokens.
@Suite(.inspircdInstalled, .bridgeBinaryBuilt, .timeLimit(.minutes(3)))
struct SecretLoggingEndToEndTests {
    private let bot = BridgeTestbed.botNick
    private let lobby = BridgeTestbed.channel

    @Test func noSecretReachesTheTraceLogWhileEverySecretIsUsed() async throws {
        let saslPassword = "e2e-sasl-Wq5Ln8Rt3Hj6Bv"
        try await BridgeTestbed.run(withServices: true) { testbed in
            try await testbed.server.registerAccount(name: self.bot, password: saslPassword)
            try await StubWebhookReceiver.withRunning { replies in
                try await StubWebhookReceiver.withRunning(
                    defaultAnswer: StubChatAPIs.slack(botToken: WebhookSecrets.slackBotToken)
                ) { slack in
                    try await StubWebhookReceiver.withRunning(
                        defaultAnswer: StubChatAPIs.mattermost(
                            botToken: WebhookSecrets.mattermostBotToken,
                            roots: ["e2esecretpost": ""]
                        )
                    ) { mattermost in
                        let alice = try await testbed.person("alice")
                        try await alice.join(self.lobby)
                        var configuration = testbed.configuration()
                        configuration.saslAccount = self.bot
                        configuration.logLevel = "trace"
                        configuration.webhookEndpoints = [
                            .generic(reply: .async(replyURL: replies.url)),
                            .slack(apiBaseURL: slack.baseURL),
                            .mattermost(reply: .async(serverURL: mattermost.baseURL)),
                        ]
                        let bridge = try testbed.launchBridge(
                            configuration,
                            secrets: [BridgeConfigFile.saslPasswordVariable: saslPassword, "LOG_LEVEL": "trace"]
                        )
                        let port = try await bridge.webhookPort()

                        // IRC: SASL PLAIN login, then a question GoAPI refuses (an error with the key) and one it
                        // answers.
                        try await alice.waitForJoin(of: self.bot, to: self.lobby)
                        testbed.stub.enqueue(.status(401, body: #"{"code": 401, "message": "invalid api key"}"#))
                        try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): is my key wrong?")
                        _ = try await alice.waitForMessage("the bot saying GoAPI refused") {
                            ($0.command == "PRIVMSG" || $0.command == "NOTICE") && $0.sourceNick == self.bot
                        }
                        try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): use your key")
                        _ = try await alice.waitForReply(
                            from: self.bot,
                            startingWith: "alice: \(StubGoAPIServer.defaultReply)"
                        )
                        // Each webhook kind: a request with a wrong signature or token (refused), then a good one
                        // whose reply fails once (retried) before it is delivered.
                        let forgedGeneric = try SignedWebhookRequest(
                            thread: "secrets",
                            text: "forged",
                            secret: "whsec_" + Data("not the endpoint's key".utf8).base64EncodedString()
                        )
                        #expect(try await forgedGeneric.send(to: port).status == 401)
                        replies.enqueue(.init(status: 503))
                        let generic = try SignedWebhookRequest(thread: "secrets", text: "sign this")
                        #expect(try await generic.send(to: port).status == 202)
                        let reply = try await replies.waitForRequests(2, timeout: .seconds(60))[1]
                        #expect(throws: Never.self) { try reply.verifySignature(secret: WebhookSecrets.generic) }

                        let event = try SlackEventRequest(
                            eventID: "Ev0E2ESECRET",
                            event: SlackEventRequest.mention("verify me", ts: "1700000500.000100")
                        )
                        #expect(try await event.send(to: port, signingSecret: "wrong signing secret").status == 401)
                        slack.enqueue(.init(status: 500, body: #"{"ok":false,"error":"fatal_error"}"#))
                        #expect(try await event.send(to: port).status == 200)
                        _ = try await slack.waitForRequests(2, timeout: .seconds(60))

                        let forgedPost = MattermostOutgoingPost(postID: "e2eforged", question: "no", token: "guessed")
                        #expect(try await forgedPost.send(to: port).status == 401)
                        mattermost.enqueue(.init(status: 503))
                        let post = MattermostOutgoingPost(postID: "e2esecretpost", question: "token please")
                        #expect(try await post.send(to: port).status == 200)
                        _ = try await mattermost.waitForRequests(4, timeout: .seconds(60))
                        #expect(await bridge.stop() == .exited(0))

                        #expect(slack.requests.count == 2, "the bot token worked on the retry")
                        #expect(
                            mattermost.requests.map(\.method) == ["GET", "GET", "GET", "POST"],
                            "the bot token worked (the bot account, refused once, then the thread root and the post)"
                        )
                        #expect(
                            testbed.stub.conversationRequests.allSatisfy {
                                $0.headers["x-api-key"] == BridgeTestbed.apiKey
                            }
                        )
                        #expect(testbed.stub.conversationRequests.count == 5, "IRC twice, generic, Slack, Mattermost")
                        self.expectNoSecrets(in: bridge, saslPassword: saslPassword)
                        await alice.quit()
                    }
                }
            }
        }
    }

    /// Checks the whole log, and names each line that holds a secret.
    private func expectNoSecrets(in bridge: BridgeProcess, saslPassword: String) {
        let log = bridge.log
        #expect(log.contains("level=trace"), "the log is at trace level")
        #expect(log.contains("SASL authentication succeeded"), "the SASL password was in use")
        // SASL PLAIN sends authzid NUL authcid NUL password in base64; either form of authzid is a leak.
        let plainPayloads = ["\(self.bot)\0\(self.bot)\0\(saslPassword)", "\0\(self.bot)\0\(saslPassword)"]
            .map { Data($0.utf8).base64EncodedString() }
        let secrets = [BridgeTestbed.apiKey, saslPassword] + plainPayloads + WebhookSecrets.forbiddenInLogs
        let lines = log.split(separator: "\n")
        for secret in secrets {
            let leaks = lines.filter { $0.contains(secret) }
            #expect(leaks.isEmpty, "\(bridge.logFile) holds \(secret) in:\n\(leaks.joined(separator: "\n"))")
        }
    }
}
