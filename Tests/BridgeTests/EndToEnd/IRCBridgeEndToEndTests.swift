import Bridge
import BridgeTesting
import Foundation
import Testing

/// The bot end to end: real InspIRCd over TLS, the real IRC client and bridge, the stub GoAPI over HTTP.
@Suite(
    .enabled(if: InspIRCdServer.isInstalled, "inspircd is not installed (scripts/irc-test-deps.sh)"),
    .timeLimit(.minutes(2))
)
struct IRCBridgeEndToEndTests {
    @Test func channelQuestionGetsAnAddressedAnswerAndTheConversationContinues() async throws {
        try await IRCBridgeHarness.run { harness in
            let alice = try await harness.person("alice")
            try await alice.send("PRIVMSG \(IRCBridgeHarness.channel) :gptbot: what is IRC?")
            let answer = try await alice.waitForLine(timeout: .seconds(20)) {
                $0.contains("PRIVMSG \(IRCBridgeHarness.channel) :alice:")
            }
            #expect(answer.hasSuffix(":alice: \(StubGoAPIServer.defaultReply)"))
            let first = try #require(harness.stub.conversationRequests.first)
            #expect(first.questionText == "alice: what is IRC?", "the speaker is named for the model")
            #expect(first.path == "/api/chatgpt/v1/conversation")

            harness.stub.enqueue(.reply("Second answer."))
            try await alice.send("PRIVMSG \(IRCBridgeHarness.channel) :!gpt and then?")
            _ = try await alice.waitForLine(timeout: .seconds(20)) { $0.hasSuffix(":alice: Second answer.") }
            let second = try #require(harness.stub.conversationRequests.last)
            #expect(second.path.hasPrefix("/api/chatgpt/v1/conversation/"), "the same conversation continues")
            await alice.quit()
        }
    }

    @Test func privateQueryIsAnsweredPrivately() async throws {
        try await IRCBridgeHarness.run { harness in
            let bob = try await harness.person("bob")
            harness.stub.enqueue(.reply("Just for you."))
            try await bob.send("PRIVMSG gptbot :hello in private")
            let answer = try await bob.waitForLine(timeout: .seconds(20)) { $0.contains(" PRIVMSG bob :") }
            #expect(answer.hasSuffix(":bob: Just for you."))
            #expect(harness.stub.conversationRequests.first?.questionText == "bob: hello in private")
            await bob.quit()
        }
    }

    @Test func longAnswersFitTheLineLimitAndStateTheOverflow() async throws {
        try await IRCBridgeHarness.run { harness in
            let carol = try await harness.person("carol")
            let paragraph = String(repeating: "Grüße aus 漢字 🎉 und noch mehr Text. ", count: 40)
            harness.stub.enqueue(.reply((1...8).map { "\($0). \(paragraph)" }.joined(separator: "\n\n")))
            try await carol.send("PRIVMSG \(IRCBridgeHarness.channel) :gptbot: tell me everything")
            var lines: [String] = []
            while lines.last?.contains("more lines not shown") != true {
                lines.append(
                    try await carol.waitForLine(timeout: .seconds(20)) {
                        $0.contains(" PRIVMSG \(IRCBridgeHarness.channel) :")
                    }
                )
            }
            #expect(lines.count == 5, "maxLinesPerReply is 5")
            #expect(lines.first?.contains(":carol: 1.") == true)
            for line in lines {
                #expect(line.utf8.count + 2 <= 512, "\(line.utf8.count) bytes")
                #expect(!line.contains("\u{FFFD}"), "no UTF-8 character was cut")
            }
            await carol.quit()
        }
    }

    @Test func upstreamFailureIsOneClearLine() async throws {
        try await IRCBridgeHarness.run { harness in
            let dave = try await harness.person("dave")
            harness.stub.enqueue(.status(401, body: #"{"code": 401, "message": "invalid key"}"#))
            try await dave.send("PRIVMSG \(IRCBridgeHarness.channel) :gptbot: hi")
            let line = try await dave.waitForLine(timeout: .seconds(20)) {
                $0.contains(" PRIVMSG \(IRCBridgeHarness.channel) :dave:")
            }
            #expect(line.hasSuffix("dave: the bridge's GoAPI key was refused; please tell the operator."))
            await dave.quit()
        }
    }

    @Test func settingsCommandsNeedChannelOperatorStatusOrAnAdminMask() async throws {
        try await IRCBridgeHarness.run(bridgeConfiguration: { $0.adminMasks = ["frank!*@*"] }) { harness in
            let erin = try await harness.person("erin")
            try await erin.send("PRIVMSG \(IRCBridgeHarness.channel) :!gpt use g-3w1rEXGE0")
            let refused = try await erin.waitForLine(timeout: .seconds(20)) { $0.contains(":erin: ") }
            #expect(refused.contains("only channel operators"))
            try await erin.send("PRIVMSG \(IRCBridgeHarness.channel) :!gpt status")
            let status = try await erin.waitForLine(timeout: .seconds(20)) { $0.contains(":erin: ") }
            #expect(status.contains("no GPT, model gpt-4o"))
            let frank = try await harness.person("frank")
            try await frank.send("PRIVMSG \(IRCBridgeHarness.channel) :!gpt use g-3w1rEXGE0")
            let switched = try await frank.waitForLine(timeout: .seconds(20)) { $0.contains(":frank: ") }
            #expect(switched.contains("now using GPT g-3w1rEXGE0"))
            try await frank.send("PRIVMSG \(IRCBridgeHarness.channel) :gptbot: hi")
            _ = try await frank.waitForLine(timeout: .seconds(20)) {
                $0.contains(":frank: \(StubGoAPIServer.defaultReply)")
            }
            #expect(harness.stub.conversationRequests.last?.json?["gizmo_id"] as? String == "g-3w1rEXGE0")
            await erin.quit()
            await frank.quit()
        }
    }
}

/// Faults and IRCv3 niceties on the real server.
@Suite(
    .enabled(if: InspIRCdServer.isInstalled, "inspircd is not installed (scripts/irc-test-deps.sh)"),
    .timeLimit(.minutes(2))
)
struct IRCBridgeResilienceTests {
    @Test func botComesBackByItselfAfterBeingKilled() async throws {
        try await IRCBridgeHarness.run { harness in
            let oper = try await harness.person("oper")
            try await oper.send("OPER \(harness.server.operatorName) \(harness.server.operatorPassword)")
            _ = try await oper.waitForCommand("381")
            try await oper.send("KILL gptbot :testing reconnects")
            _ = try await oper.waitForLine { $0.hasPrefix(":gptbot!") && $0.contains(" QUIT ") }
            // Reconnect (1-2 s backoff), register and rejoin without anyone's help.
            _ = try await oper.waitForLine(timeout: .seconds(30)) { $0.hasPrefix(":gptbot!") && $0.contains(" JOIN ") }
            try await oper.send("PRIVMSG \(IRCBridgeHarness.channel) :gptbot: still there?")
            _ = try await oper.waitForLine(timeout: .seconds(20)) {
                $0.contains(":oper: \(StubGoAPIServer.defaultReply)")
            }
            await oper.quit()
        }
    }

    @Test func repliesThreadToTheQuestionAndTypingIsShown() async throws {
        try await IRCBridgeHarness.run { harness in
            let grace = try await harness.person("grace", capabilities: ["message-tags", "echo-message"])
            harness.stub.enqueue(.reply("Slowly, with care.", eventDelay: .milliseconds(700)))
            try await grace.send("PRIVMSG \(IRCBridgeHarness.channel) :gptbot: take your time")
            let echo = try await grace.waitForMessage("echo of the question") {
                $0.command == "PRIVMSG" && $0.sourceNick == "grace"
            }
            let questionID = try #require(echo.tags["msgid"], "InspIRCd tags messages with msgid")
            let typing = try await grace.waitForMessage("typing indicator", timeout: .seconds(20)) {
                $0.command == "TAGMSG" && $0.sourceNick == "gptbot"
            }
            #expect(typing.tags["+typing"] == "active")
            let answer = try await grace.waitForMessage("answer", timeout: .seconds(20)) {
                $0.command == "PRIVMSG" && $0.sourceNick == "gptbot"
            }
            #expect(answer.parameters.last == "grace: Slowly, with care.")
            #expect(answer.tags["+reply"] == questionID)
            await grace.quit()
        }
    }
}
