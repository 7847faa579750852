import Bridge
import BridgeTesting
import IRC
import Synchronization
import Testing

/// Which lines reach GoAPI, in which order, and who is told to wait.
///
/// Checks that something did *not* happen ask a probe question afterwards in the same channel: questions in one
/// channel are answered in order, so once the probe's answer is out, anything the earlier line had wrongly set off
/// would already have reached GoAPI and the channel.
@Suite(.timeLimit(.minutes(1))) struct IRCBridgeRoutingTests {
    @Test(arguments: ["gptbot: what is IRC?", "GPTBot, what is IRC?", "!gpt what is IRC?", "!GPT   what is IRC?"])
    func addressedLineIsAnsweredInTheChannel(line: String) async throws {
        try await IRCBridgeFixture.run { fixture in
            fixture.network.say(line, in: "#chan", from: "alice")
            let answer = try await fixture.network.nextLine(to: "#chan")
            #expect(answer.command == "PRIVMSG")
            #expect(answer.parameters == ["#chan", "alice: \(StubGoAPIServer.defaultReply)"])
            #expect(fixture.stub.conversationRequests.map(\.questionText) == ["alice: what is IRC?"])
        }
    }

    @Test func addressingFollowsTheBotsCurrentNick() async throws {
        try await IRCBridgeFixture.run { fixture in
            // The main nick was taken at connect time; people address the bot by the nick they see.
            var snapshot = fixture.network.snapshot
            snapshot.nick = "gptbot_"
            fixture.network.snapshot = snapshot
            fixture.network.say("gptbot: are you there?", in: "#chan", from: "alice")
            fixture.network.say("GPTBOT_: now?", in: "#chan", from: "bob")
            let answer = try await fixture.network.nextLine(to: "#chan")
            #expect(answer.parameters == ["#chan", "bob: Stub answer."])
            #expect(fixture.stub.conversationRequests.map(\.questionText) == ["bob: now?"])
        }
    }

    @Test func privateQueryIsAnsweredToTheSenderInTheirOwnConversation() async throws {
        try await IRCBridgeFixture.run { fixture in
            fixture.stub.enqueue(.reply("Just for you, bob."), .reply("Just for you, carol."))
            fixture.network.query("hello in private", from: "bob")
            let toBob = try await fixture.network.nextLine(to: "bob")
            #expect(toBob.parameters == ["bob", "bob: Just for you, bob."])
            fixture.network.query("gptbot: and me?", from: "carol")
            let toCarol = try await fixture.network.nextLine(to: "carol")
            #expect(toCarol.parameters == ["carol", "carol: Just for you, carol."])
            let requests = fixture.stub.conversationRequests
            #expect(requests.map(\.questionText) == ["bob: hello in private", "carol: and me?"])
            #expect(
                requests.map(\.path) == Array(repeating: StubGoAPIServer.RecordedRequest.newConversationPath, count: 2),
                "each person's query is a conversation of its own"
            )
            #expect(fixture.network.lines(to: FakeIRCNetwork.botNick).isEmpty)
        }
    }

    @Test func unaddressedChannelChatterIsIgnored() async throws {
        try await IRCBridgeFixture.run { fixture in
            for line in ["hello everyone", "gptbot is a nice bot", "!gptx hi", "gptbot2: hi", "ask gptbot: why?"] {
                fixture.network.say(line, in: "#chan", from: "alice")
            }
            fixture.network.say("gptbot: probe", in: "#chan", from: "bob")
            let answer = try await fixture.network.nextLine(to: "#chan")
            #expect(answer.parameters == ["#chan", "bob: \(StubGoAPIServer.defaultReply)"])
            #expect(fixture.stub.conversationRequests.map(\.questionText) == ["bob: probe"])
            #expect(fixture.network.lines(to: "#chan").count == 1)
            #expect(fixture.network.lines(to: "alice").isEmpty)
        }
    }

    @Test func ignoredMasksGetNothingAndCostNothing() async throws {
        let configuration = IRCBridgeConfiguration(
            network: IRCBridgeFixture.networkName,
            ignoreMasks: ["*!*@bots.example.net", "Spam[x]!*@*"]
        )
        try await IRCBridgeFixture.run(configuration: configuration) { fixture in
            let otherBot = "otherbot!relay@bots.example.net"
            fixture.network.say("gptbot: are you a bot too?", in: "#chan", from: "otherbot", source: otherBot)
            fixture.network.say("!gpt help", in: "#chan", from: "otherbot", source: otherBot)
            fixture.network.query("hello", from: "otherbot", source: otherBot)
            // rfc1459 folds `[x]` to `{x}`: the mask as configured still matches the nick as the server spells it.
            fixture.network.say("!gpt buy now", in: "#chan", from: "spam{X}", source: "spam{X}!s@spam.example.com")
            fixture.network.say("gptbot: probe", in: "#chan", from: "bob")
            let answer = try await fixture.network.nextLine(to: "#chan")
            #expect(answer.parameters == ["#chan", "bob: \(StubGoAPIServer.defaultReply)"])
            #expect(fixture.stub.conversationRequests.map(\.questionText) == ["bob: probe"])
            #expect(fixture.network.lines(to: "#chan").count == 1)
            #expect(fixture.network.lines(to: "otherbot").isEmpty)
            #expect(fixture.network.lines(to: "spam{X}").isEmpty)
        }
    }

    @Test func questionsInOneChannelReachGoAPIOneAfterTheOther() async throws {
        try await IRCBridgeFixture.run { fixture in
            fixture.stub.enqueue(
                .reply("First answer.", eventDelay: .milliseconds(100)),
                .reply("Second answer.", eventDelay: .milliseconds(100))
            )
            let stub = fixture.stub
            let requestsWhenAnswered = Mutex<[Int]>([])
            fixture.network.onSend { _ in requestsWhenAnswered.withLock { $0.append(stub.conversationRequests.count) } }
            fixture.network.say("gptbot: one", in: "#chan", from: "alice")
            fixture.network.say("gptbot: two", in: "#chan", from: "bob")
            let answers = try await fixture.network.nextLines(to: "#chan", count: 2)
            #expect(
                answers.map(\.parameters) == [["#chan", "alice: First answer."], ["#chan", "bob: Second answer."]]
            )
            #expect(
                requestsWhenAnswered.withLock { $0 } == [1, 2],
                "the second question reached GoAPI only after the first answer was posted"
            )
            #expect(fixture.stub.maximumConcurrentConversations == 1)
            let requests = fixture.stub.conversationRequests
            #expect(requests.map(\.questionText) == ["alice: one", "bob: two"])
            let conversation = try #require(
                try await fixture.conversationID(key: IRCBridgeFixture.channelKey("#chan"))
            )
            #expect(
                requests.last?.path == StubGoAPIServer.RecordedRequest.addMessagePath(conversation),
                "the second question went to the conversation the first one created"
            )
        }
    }

    /// The asker changes nick while GoAPI answers and a stranger takes the old one: the private answer follows the
    /// asker, and a channel answer addresses them by their new nick.
    @Test func anAnswerFollowsItsAskerAcrossANickChange() async throws {
        try await IRCBridgeFixture.run { fixture in
            let renamed = StubGate()
            // The same answer for both: the two questions reach GoAPI in either order.
            fixture.stub.enqueue(.replyWhenOpened("Answer.", renamed), .replyWhenOpened("Answer.", renamed))
            fixture.network.query("what is my recovery code?", from: "alice")
            fixture.network.say("gptbot: and in public?", in: "#chan", from: "alice")
            try await waitUntil("both questions reached GoAPI") { fixture.stub.conversationRequests.count == 2 }
            fixture.network.receive(.userRenamed(from: "alice", to: "alice_away"))
            fixture.network.receive(.userRenamed(from: "mallory", to: "ALICE"))
            // Events are read in order: once this command is answered, the renames have been seen.
            fixture.network.say("!gpt status", in: "#other", from: "bob")
            _ = try await fixture.network.nextLine(to: "#other")
            renamed.open()
            let answer = try await fixture.network.nextLine(to: "alice_away")
            #expect(answer.parameters == ["alice_away", "alice_away: Answer."])
            #expect(
                try await fixture.network.nextLine(to: "#chan").parameters == ["#chan", "alice_away: Answer."]
            )
            #expect(fixture.network.lines(to: "alice").isEmpty, "nothing for the stranger who took the nick")
        }
    }

    @Test func changingNickDoesNotRefillTheQuestionBudget() async throws {
        let configuration = IRCBridgeConfiguration(network: IRCBridgeFixture.networkName, userRateQuestions: 1)
        try await IRCBridgeFixture.run(configuration: configuration) { fixture in
            fixture.network.say("gptbot: one", in: "#chan", from: "alice")
            #expect(try await fixture.network.nextLine(to: "#chan").parameters == ["#chan", "alice: Stub answer."])
            fixture.network.receive(.userRenamed(from: "alice", to: "alice_"))
            fixture.network.say("gptbot: two", in: "#chan", from: "alice_")
            let refusal = try await fixture.network.nextLine(to: "alice_")
            #expect(refusal.command == "NOTICE")
            #expect(fixture.stub.conversationRequests.count == 1)
        }
    }

    /// Every command answers in the channel: one person repeating one must not make the bot flood it.
    @Test func commandsHaveABudgetPerPerson() async throws {
        try await IRCBridgeFixture.run { fixture in
            for _ in 0..<20 { fixture.network.say("!gpt status", in: "#chan", from: "mallory") }
            fixture.network.say("!gpt status", in: "#chan", from: "bob")
            let answers = try await fixture.network.nextLines(to: "#chan", count: 11)
            #expect(answers.prefix(10).allSatisfy { $0.parameters.last?.hasPrefix("mallory: ") == true })
            #expect(answers.last?.parameters.last?.hasPrefix("bob: ") == true, "others keep their own budget")
            #expect(fixture.network.lines(to: "#chan").count == 11, "the default budget: 10 commands a minute")
            // Ten refusals, one notice: each notice spends a line of the bot's flood budget, as an answer does.
            let refusals = fixture.network.lines(to: "mallory")
            #expect(refusals.map(\.command) == ["NOTICE"])
            #expect(refusals.first?.parameters.last?.hasPrefix("you are sending commands faster") == true)
        }
    }

    @Test func aPrivateAnswerIsNotSentWhenItsAskerLeftTheNetwork() async throws {
        try await IRCBridgeFixture.run { fixture in
            let left = StubGate()
            fixture.stub.enqueue(.replyWhenOpened("Your recovery code is 42.", left))
            fixture.network.query("what is my recovery code?", from: "alice")
            try await waitUntil("the question reached GoAPI") { fixture.stub.conversationRequests.count == 1 }
            fixture.network.receive(.userQuit(nick: "alice"))
            fixture.network.receive(.userRenamed(from: "mallory", to: "alice"))
            fixture.network.say("!gpt status", in: "#other", from: "bob")
            _ = try await fixture.network.nextLine(to: "#other")
            left.open()
            // A later question shows the first one is done with.
            fixture.network.say("gptbot: probe", in: "#chan", from: "bob")
            #expect(try await fixture.network.nextLine(to: "#chan").parameters == ["#chan", "bob: Stub answer."])
            #expect(fixture.network.lines(to: "alice").isEmpty)
        }
    }

    @Test func questionsInDifferentChannelsProceedConcurrently() async throws {
        try await IRCBridgeFixture.run { fixture in
            // Neither answer comes until both questions are at GoAPI: answers that merely take a while could both
            // finish one after the other on a slow machine. Questions taking turns leave the first waiting for good.
            let bothAsked = StubGate(opensWhenWaiting: 2)
            fixture.stub.enqueue(
                .replyWhenOpened("Slow answer.", bothAsked),
                .replyWhenOpened("Slow answer.", bothAsked)
            )
            fixture.network.say("gptbot: one", in: "#one", from: "alice")
            fixture.network.say("gptbot: two", in: "#two", from: "bob")
            let one = try await fixture.network.nextLine(to: "#one")
            let two = try await fixture.network.nextLine(to: "#two")
            #expect(one.parameters == ["#one", "alice: Slow answer."])
            #expect(two.parameters == ["#two", "bob: Slow answer."])
            #expect(fixture.stub.maximumConcurrentConversations == 2)
        }
    }

    @Test func aFullConversationQueueTellsTheAskerToWait() async throws {
        let configuration = IRCBridgeConfiguration(network: IRCBridgeFixture.networkName, queueLimit: 1)
        try await IRCBridgeFixture.run(configuration: configuration) { fixture in
            // The first answer is held until Carol has been turned away, so the queue is still full when she asks
            // however slowly the bridge gets to her line.
            let carolRefused = StubGate()
            fixture.stub.enqueue(.replyWhenOpened("First answer.", carolRefused))
            fixture.network.say("gptbot: one", in: "#chan", from: "alice")
            fixture.network.say("gptbot: two", in: "#chan", from: "bob")
            fixture.network.say("gptbot: three", in: "#chan", from: "carol")
            let busy = try await fixture.network.nextLine(to: "carol")
            carolRefused.open()
            #expect(busy.command == "NOTICE")
            #expect(
                busy.parameters == ["carol", "I am still answering earlier questions here; please ask again shortly."]
            )
            let answers = try await fixture.network.nextLines(to: "#chan", count: 2)
            #expect(answers.map(\.parameters) == [["#chan", "alice: First answer."], ["#chan", "bob: Stub answer."]])

            fixture.network.say("gptbot: probe", in: "#chan", from: "dave")
            #expect(try await fixture.network.nextLine(to: "#chan").parameters == ["#chan", "dave: Stub answer."])
            #expect(
                fixture.stub.conversationRequests.map(\.questionText) == ["alice: one", "bob: two", "dave: probe"],
                "the refused question never reached GoAPI"
            )
        }
    }

    @Test func askingTooFastGetsANoticeAndNoGoAPIRequest() async throws {
        let configuration = IRCBridgeConfiguration(
            network: IRCBridgeFixture.networkName,
            userRateQuestions: 2,
            userRatePeriod: .seconds(600)
        )
        try await IRCBridgeFixture.run(configuration: configuration) { fixture in
            fixture.network.say("gptbot: one", in: "#chan", from: "alice")
            fixture.network.say("gptbot: two", in: "#chan", from: "alice")
            fixture.network.say("gptbot: three", in: "#chan", from: "alice")
            // The budget is per person, whichever channel they ask in and however they spell their nick.
            fixture.network.say("gptbot: four", in: "#other", from: "ALICE")
            let notice = try await fixture.network.nextLine(to: "alice")
            // Two a period of 600 s: the next question is allowed 300 s after the second.
            let slowDown = "you are asking faster than this bot allows; please try again in 5 minutes."
            #expect(notice.command == "NOTICE")
            #expect(notice.parameters == ["alice", slowDown])
            #expect(try await fixture.network.nextLines(to: "#chan", count: 2).count == 2)

            fixture.network.say("gptbot: probe", in: "#chan", from: "bob")
            #expect(try await fixture.network.nextLine(to: "#chan").parameters == ["#chan", "bob: Stub answer."])
            #expect(
                fixture.stub.conversationRequests.map(\.questionText) == ["alice: one", "alice: two", "bob: probe"]
            )
            #expect(fixture.network.lines(to: "#other").isEmpty)
            // Refused twice within seconds, told once: the second refusal would only repeat the first.
            #expect(fixture.network.lines(to: "alice").count == 1, "lines to ALICE count as lines to alice")
        }
    }

    /// With one question an hour, the refusal must not tell people to wait a minute: whoever does is refused again,
    /// and again, for the rest of the hour.
    @Test func theSlowDownNoticeDoesNotPromiseAMinuteWhenTheBudgetRefillsHourly() async throws {
        let configuration = IRCBridgeConfiguration(
            network: IRCBridgeFixture.networkName,
            userRateQuestions: 1,
            userRatePeriod: .seconds(3_600)
        )
        try await IRCBridgeFixture.run(configuration: configuration) { fixture in
            fixture.network.say("gptbot: one", in: "#chan", from: "alice")
            fixture.network.say("gptbot: two", in: "#chan", from: "alice")
            let notice = try #require(try await fixture.network.nextLine(to: "alice").parameters.last)
            #expect(notice.hasPrefix("you are asking faster than this bot allows"))
            #expect(!notice.contains("a minute"), "the next question is allowed in an hour: \(notice)")
        }
    }

    @Test func aConfiguredChannelUsesItsOwnGPTWhateverTheCaseOfItsName() async throws {
        let configuration = IRCBridgeConfiguration(
            network: IRCBridgeFixture.networkName,
            channels: ["#Design": .init(gizmoID: "g-Design1", model: nil), "#fast": .init(gizmoID: nil, model: "o3")]
        )
        try await IRCBridgeFixture.run(configuration: configuration) { fixture in
            fixture.network.say("gptbot: a logo?", in: "#DESIGN", from: "alice")
            _ = try await fixture.network.nextLine(to: "#design")
            fixture.network.say("gptbot: quick", in: "#fast", from: "alice")
            _ = try await fixture.network.nextLine(to: "#fast")
            fixture.network.say("gptbot: anything", in: "#other", from: "alice")
            _ = try await fixture.network.nextLine(to: "#other")
            let requests = fixture.stub.conversationRequests
            #expect(requests.map(\.gizmoID) == ["g-Design1", nil, nil])
            #expect(requests.map(\.model) == ["gpt-4-gizmo", "o3", "gpt-4o"])
        }
    }

    @Test func anUnreadableStoreIsExplainedAndNothingIsAsked() async throws {
        try await IRCBridgeFixture.run(store: FailingStore()) { fixture in
            fixture.network.say("gptbot: hello", in: "#chan", from: "alice")
            let question = try await fixture.network.nextLine(to: "#chan")
            #expect(
                question.parameters == [
                    "#chan", "alice: the bridge cannot reach its database right now; please tell the operator.",
                ]
            )
            fixture.network.say("!gpt status", in: "#chan", from: "alice")
            let status = try await fixture.network.nextLine(to: "#chan")
            #expect(
                status.parameters == [
                    "#chan", "alice: that did not work: the bridge cannot reach its database right now.",
                ]
            )
            #expect(fixture.stub.requests.isEmpty)
        }
    }

    @Test(arguments: [("#Chan", "#chan"), ("#Team[1]", "#team{1}"), ("#ops^", "#OPS~")])
    func channelNamesThatDifferOnlyInCaseShareOneConversation(first: String, second: String) async throws {
        try await IRCBridgeFixture.run { fixture in
            fixture.stub.enqueue(.reply("First."), .reply("Second."))
            fixture.network.say("gptbot: hello", in: first, from: "alice")
            #expect(try await fixture.network.nextLine(to: first).parameters == [first, "alice: First."])
            fixture.network.say("gptbot: again", in: second, from: "bob")
            #expect(try await fixture.network.nextLine(to: second).parameters == [second, "bob: Second."])
            let requests = fixture.stub.conversationRequests
            #expect(requests.first?.path == StubGoAPIServer.RecordedRequest.newConversationPath)
            let conversation = try #require(
                try await fixture.conversationID(key: IRCBridgeFixture.channelKey(CaseMapping.rfc1459.fold(first)))
            )
            #expect(requests.last?.path == StubGoAPIServer.RecordedRequest.addMessagePath(conversation))
        }
    }

    @Test func queryNicksThatDifferOnlyInCaseShareOneConversation() async throws {
        try await IRCBridgeFixture.run { fixture in
            fixture.network.query("hello", from: "Bob[away]")
            _ = try await fixture.network.nextLine(to: "Bob[away]")
            fixture.network.query("again", from: "bob{AWAY}")
            _ = try await fixture.network.nextLine(to: "bob{away}")
            let requests = fixture.stub.conversationRequests
            #expect(requests.count == 2)
            #expect(requests.last?.path != StubGoAPIServer.RecordedRequest.newConversationPath)
        }
    }
}
