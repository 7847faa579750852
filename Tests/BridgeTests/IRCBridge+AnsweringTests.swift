import Bridge
import BridgeTesting
import IRC
import InMemoryLogging
import Logging
import Testing

/// What a channel sees once GoAPI has answered, failed, or been cut off.
@Suite(.timeLimit(.minutes(1))) struct IRCBridgeAnsweringTests {
    /// A reply long enough to need several IRC lines.
    static let longReply = (1...120).map { "word\($0)" }.joined(separator: " ")

    @Test func longAnswersAreSplitIntoAddressedLinesThatFitTheWire() async throws {
        let channel = "#a-rather-long-channel-name-for-testing"
        try await IRCBridgeFixture.run { fixture in
            fixture.stub.enqueue(.reply(Self.longReply + " " + Self.longReply))
            fixture.network.say("gptbot: talk a lot", in: channel, from: "alice")
            let first = try await fixture.network.nextLine(to: channel)
            let lines = fixture.network.lines(to: channel)
            #expect(lines.count > 1)
            #expect(first.parameters.last?.hasPrefix("alice: word1 word2") == true)
            #expect(lines.dropFirst().allSatisfy { !($0.parameters.last ?? "").hasPrefix("alice: ") })
            for line in lines {
                // What the server relays: `:gptbot!gptbot@bots.example.org PRIVMSG #chan :text` plus CR LF.
                let relayed = ":gptbot!gptbot@bots.example.org \(line.serialized)\r\n"
                #expect(relayed.utf8.count <= 512, "\(relayed)")
                #expect(line.parameters.first == channel)
            }
            let words = lines.flatMap { ($0.parameters.last ?? "").split(separator: " ") }
            #expect(words.dropFirst().joined(separator: " ") == Self.longReply + " " + Self.longReply)
            #expect(fixture.network.sent.allSatisfy { $0.isSendable })
        }
    }

    @Test func markdownIsFlattenedAndOverflowIsSaid() async throws {
        let configuration = IRCBridgeConfiguration(network: IRCBridgeFixture.networkName, maxLinesPerReply: 3)
        try await IRCBridgeFixture.run(configuration: configuration) { fixture in
            fixture.stub.enqueue(.reply("# Steps\n\n" + (1...10).map { "- step \($0)" }.joined(separator: "\n")))
            fixture.network.say("gptbot: list the steps", in: "#chan", from: "alice")
            _ = try await fixture.network.nextLine(to: "#chan")
            let lines = fixture.network.lines(to: "#chan").compactMap(\.parameters.last)
            #expect(lines.count == 3)
            #expect(lines.first?.hasPrefix("alice: ") == true)
            #expect(!lines.joined().contains("# Steps"), "no raw Markdown heading")
            #expect(!lines.joined().contains("- step"), "no raw Markdown list marker")
            #expect(lines.last?.contains("more lines") == true, "\(lines)")
        }
    }

    @Test func repliesExpireAfterTheConfiguredTime() async throws {
        let configuration = IRCBridgeConfiguration(network: IRCBridgeFixture.networkName, replyTTL: .seconds(120))
        try await IRCBridgeFixture.run(configuration: configuration) { fixture in
            let before = ContinuousClock.now
            fixture.network.say("gptbot: hi", in: "#chan", from: "alice")
            _ = try await fixture.network.nextLine(to: "#chan")
            let after = ContinuousClock.now
            let expiry = try #require(fixture.network.sent.first { $0.message.command == "PRIVMSG" }?.expiresAt)
            #expect(expiry >= before + .seconds(120))
            #expect(expiry <= after + .seconds(120))
        }
    }

    /// When a `+reply` tag threads the answer under the question.
    struct ReplyTagCase: Sendable, CustomTestStringConvertible {
        var messageTags: Bool
        var messageID: String?
        var isupport: [String] = []
        var expectedTag: String?

        var testDescription: String {
            "message-tags \(self.messageTags), msgid \(self.messageID ?? "none"), \(self.isupport)"
        }
    }

    @Test(arguments: [
        ReplyTagCase(messageTags: true, messageID: "msg-1", expectedTag: "msg-1"),
        ReplyTagCase(messageTags: false, messageID: "msg-1", expectedTag: nil),
        ReplyTagCase(messageTags: true, messageID: nil, expectedTag: nil),
        ReplyTagCase(messageTags: true, messageID: "msg-1", isupport: ["CLIENTTAGDENY=*"], expectedTag: nil),
    ])
    func answerThreadsUnderTheQuestionOnlyWhenTheServerAllows(tagCase: ReplyTagCase) async throws {
        let snapshot = FakeIRCNetwork.defaultSnapshot(messageTags: tagCase.messageTags, isupport: tagCase.isupport)
        try await IRCBridgeFixture.run(snapshot: snapshot) { fixture in
            fixture.stub.enqueue(.reply(Self.longReply))
            fixture.network.say("gptbot: hi", in: "#chan", from: "alice", messageID: tagCase.messageID)
            _ = try await fixture.network.nextLine(to: "#chan")
            let lines = fixture.network.lines(to: "#chan")
            #expect(lines.count > 1)
            #expect(lines.first?.tags == (tagCase.expectedTag.map { ["+reply": $0] } ?? [:]))
            #expect(lines.dropFirst().allSatisfy { $0.tags.isEmpty }, "only the first line carries the tag")
        }
    }

    /// Lines wait through a reconnect, which may end under a fallback nick (`gptbot_____`) while the dead
    /// connection still holds the main one: sized for the current nick, each full line came out 513 bytes or more
    /// as the server relayed it, and the server cut off its end.
    @Test func linesFitTheLongestNickTheBotMayComeBackUnder() async throws {
        var snapshot = FakeIRCNetwork.defaultSnapshot()
        snapshot.longestNickBytes = "gptbot_____".utf8.count
        try await IRCBridgeFixture.run(snapshot: snapshot) { fixture in
            fixture.stub.enqueue(.reply(String(repeating: "x", count: 1_500)))
            fixture.network.say("gptbot: hi", in: "#chan", from: "alice")
            let lines = try await fixture.network.nextLines(to: "#chan", count: 4)
            for line in lines {
                let relayed = ":gptbot_____!gptbot@bots.example.org PRIVMSG #chan :\(line.parameters[1])\r\n"
                #expect(relayed.utf8.count <= 512)
            }
            #expect(lines.contains { $0.parameters[1].utf8.count > 400 }, "full lines, not short ones")
        }
    }

    @Test func typingIsShownWhileGoAPIStreamsWhenTheServerAllowsIt() async throws {
        let snapshot = FakeIRCNetwork.defaultSnapshot(messageTags: true)
        try await IRCBridgeFixture.run(snapshot: snapshot) { fixture in
            fixture.stub.enqueue(.reply("Done.", eventDelay: .milliseconds(50)))
            fixture.network.say("gptbot: hi", in: "#chan", from: "alice", messageID: "msg-7")
            _ = try await fixture.network.nextLine(to: "#chan")
            let typing = fixture.network.sent.filter { $0.message.command == "TAGMSG" }
            #expect(!typing.isEmpty)
            #expect(typing.first?.message.parameters == ["#chan"])
            #expect(typing.first?.message.tags == ["+typing": "active", "+reply": "msg-7"])
            #expect(typing.first?.route == .bestEffort)
        }
    }

    @Test func anAnswerThatComesAtOnceNeedsNoTypingIndicator() async throws {
        let snapshot = FakeIRCNetwork.defaultSnapshot(messageTags: true)
        try await IRCBridgeFixture.run(snapshot: snapshot) { fixture in
            fixture.stub.enqueue(.reply("Done."))
            let asked = ContinuousClock.now
            fixture.network.say("gptbot: hi", in: "#chan", from: "alice", messageID: "msg-7")
            _ = try await fixture.network.nextLine(to: "#chan")
            // Only meaningful when the answer beat the indicator's delay; a very slow machine may not get there.
            if ContinuousClock.now - asked < IRCBridge.typingDelay {
                #expect(!fixture.network.sent.contains { $0.message.command == "TAGMSG" })
            }
        }
    }

    @Test(arguments: [(false, [String]()), (true, ["CLIENTTAGDENY=typing"])])
    func noTypingWithoutClientTags(messageTags: Bool, isupport: [String]) async throws {
        let snapshot = FakeIRCNetwork.defaultSnapshot(messageTags: messageTags, isupport: isupport)
        try await IRCBridgeFixture.run(snapshot: snapshot) { fixture in
            fixture.stub.enqueue(.reply("Done.", eventDelay: .milliseconds(50)))
            fixture.network.say("gptbot: hi", in: "#chan", from: "alice", messageID: "msg-7")
            _ = try await fixture.network.nextLine(to: "#chan")
            #expect(!fixture.network.sent.contains { $0.message.command == "TAGMSG" })
        }
    }

    @Test(arguments: [
        (StubGoAPIServer.Behaviour.status(500), "alice: GoAPI is unavailable right now; please try again later."),
        (
            .status(401, body: #"{"code": 401, "message": "bad key"}"#),
            "alice: the bridge's GoAPI key was refused; please tell the operator."
        ),
        (.eventError("model overloaded"), "alice: GoAPI reported an error (model overloaded)."),
    ])
    func goAPIFailureIsExactlyOneLineForTheAsker(behaviour: StubGoAPIServer.Behaviour, expected: String) async throws {
        try await IRCBridgeFixture.run { fixture in
            fixture.stub.enqueue(behaviour)
            fixture.network.say("gptbot: hi", in: "#chan", from: "alice")
            let line = try await fixture.network.nextLine(to: "#chan")
            #expect(line.parameters == ["#chan", expected])
            #expect(fixture.network.lines(to: "#chan").count == 1)
        }
    }

    /// An empty answer is no answer (GoAPI's own failure, worth asking again); one whose Markdown shows nothing on
    /// IRC says so.
    @Test(arguments: [
        ("", "alice: GoAPI ended the answer before writing anything; please try again."),
        ("   ", "alice: GoAPI ended the answer before writing anything; please try again."),
        ("```\n```", "alice: (no text)"), ("---", "alice: (no text)"),
    ])
    func anAnswerWithNothingToShowStillGetsALine(reply: String, expected: String) async throws {
        try await IRCBridgeFixture.run { fixture in
            fixture.stub.enqueue(.reply(reply))
            fixture.network.say("gptbot: say nothing", in: "#chan", from: "alice")
            let line = try await fixture.network.nextLine(to: "#chan")
            #expect(line.parameters == ["#chan", expected])
            #expect(fixture.network.lines(to: "#chan").count == 1)
        }
    }

    @Test func controlCharactersFromTheModelNeverReachTheWire() async throws {
        try await IRCBridgeFixture.run { fixture in
            fixture.stub.enqueue(.reply("one\r\ntwo\u{0}three \u{01}ACTION waves\u{01} PRIVMSG #chan :pwned\rfour"))
            fixture.network.say("gptbot: be evil", in: "#chan", from: "alice")
            _ = try await fixture.network.nextLine(to: "#chan")
            let sent = fixture.network.sent
            #expect(sent.allSatisfy { $0.isSendable })
            for text in sent.map(\.text) {
                #expect(!text.contains { "\r\n\u{0}\u{01}".contains($0) }, "\(text.debugDescription)")
            }
        }
    }

    @Test func cutOffAnswerIsReportedAndThePartialTextIsNotPosted() async throws {
        try await IRCBridgeFixture.run { fixture in
            fixture.stub.enqueue(.truncated(partial: "The first half of a secret"))
            fixture.network.say("gptbot: hi", in: "#chan", from: "alice")
            let line = try await fixture.network.nextLine(to: "#chan")
            #expect(
                line.parameters == [
                    "#chan", "alice: GoAPI's answer was cut off before it was complete; please ask again.",
                ]
            )
            #expect(fixture.network.lines(to: "#chan").count == 1)
            #expect(!fixture.network.sent.contains { $0.text.contains("secret") })
        }
    }

    @Test func aReplyDroppedByAFullSendQueueDoesNotStallTheChannel() async throws {
        try await IRCBridgeFixture.run { fixture in
            fixture.stub.enqueue(.reply("Lost answer."), .reply("Delivered answer."))
            fixture.network.refuseNextEnqueues(1)
            fixture.network.say("gptbot: one", in: "#chan", from: "alice")
            fixture.network.say("gptbot: two", in: "#chan", from: "bob")
            let delivered = try await fixture.network.nextLine(to: "#chan")
            #expect(delivered.parameters == ["#chan", "bob: Delivered answer."])
            #expect(fixture.network.rejected.map(\.text) == ["alice: Lost answer."])
            #expect(
                fixture.logs.entries.contains { $0.level == .warning && $0.message == "send queue full; reply dropped" }
            )
        }
    }
}
