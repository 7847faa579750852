import BridgeTesting
import Testing

/// The real binary answers people: where they ask, in the conversation that belongs to the place they ask in,
/// and `!gpt reset` starts a new one for those allowed to.
@Suite(.inspircdInstalled, .bridgeBinaryBuilt, .timeLimit(.minutes(3)))
struct BridgeConversationEndToEndTests {
    private let bot = BridgeTestbed.botNick
    private let lobby = BridgeTestbed.channel

    @Test func channelAndPrivateQuestionsAreAnsweredWhereTheyWereAsked() async throws {
        try await BridgeTestbed.run { testbed in
            let alice = try await testbed.person("alice")
            try await alice.join(self.lobby)
            let bridge = try testbed.launchBridge(testbed.configuration())
            try await alice.waitForJoin(of: self.bot, to: self.lobby)
            #expect(
                bridge.log.contains("tasks_run_on=event-loops"),
                "Swift tasks run on NIO's event loops (EventLoopExecutor), not the global pool"
            )

            testbed.stub.enqueue(.reply("IRC is Internet Relay Chat."))
            try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): what is IRC?")
            let answer = try await alice.waitForPrivmsg(from: self.bot, to: self.lobby)
            #expect(answer.parameters.last == "alice: IRC is Internet Relay Chat.")
            let question = try #require(testbed.stub.conversationRequests.first)
            #expect(question.questionText == "alice: what is IRC?", "GoAPI is told who asks")
            #expect(question.path == StubGoAPIServer.createPath)

            testbed.stub.enqueue(.reply("Only you can read this."))
            try await alice.send("PRIVMSG \(self.bot) :and in private?")
            let privateAnswer = try await alice.waitForPrivmsg(from: self.bot, to: "alice")
            #expect(privateAnswer.parameters.last == "alice: Only you can read this.")
            let privateQuestion = try #require(testbed.stub.conversationRequests.last)
            #expect(privateQuestion.questionText == "alice: and in private?")
            #expect(
                privateQuestion.path == StubGoAPIServer.createPath,
                "a query is its own conversation, not the channel's"
            )
            #expect(testbed.stub.conversationRequests.count == 2)
            #expect(
                try await alice.firstMessage(within: .milliseconds(300)) {
                    $0.command == "PRIVMSG" && $0.sourceNick == self.bot && $0.parameters.first == self.lobby
                } == nil,
                "the private answer is not also said in the channel"
            )
            await alice.quit()
        }
    }

    @Test func anAnswerFinishedWhileTheBotIsKickedIsSaidOnceItIsBack() async throws {
        try await BridgeTestbed.run { testbed in
            // Alice opens the channel, so she is its operator and may kick the bot.
            let alice = try await testbed.person("alice")
            try await alice.join(self.lobby)
            let bridge = try testbed.launchBridge(testbed.configuration())
            let admin = try await AdminClient(bridge)
            try await alice.waitForJoin(of: self.bot, to: self.lobby)

            let kicked = StubGate()
            testbed.stub.enqueue(.replyWhenOpened("Answered while you were kicking me.", kicked))
            try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): are you there?")
            _ = try await waitFor("the question to reach GoAPI") {
                testbed.stub.conversationsInFlight == 1 ? true : nil
            }
            try await alice.send("KICK \(self.lobby) \(self.bot) :not now")
            // The bridge knows it is out (not merely alice), so the answer is finished while it is.
            _ = try await admin.waitForDetail(of: "irc:testnet", containing: "kicked by alice", timeout: .seconds(9))
            kicked.open()

            // The answer waits for the rejoin (ten seconds) instead of going to a channel the bot is not in, where
            // the server would refuse it and it would be lost.
            try await alice.waitForJoin(of: self.bot, to: self.lobby)
            let answer = try await alice.waitForPrivmsg(from: self.bot, to: self.lobby)
            #expect(answer.parameters.last == "alice: Answered while you were kicking me.")
            await alice.quit()
        }
    }

    /// A channel with history (`+H`) replays its last lines to whoever joins, the bot included, on every start and
    /// every rejoin: a question among them was asked before, and is not asked of GoAPI or answered again.
    @Test func questionsTheServerReplaysFromChannelHistoryAreNotAnsweredAgain() async throws {
        try await BridgeTestbed.run { testbed in
            let alice = try await testbed.person("alice")
            try await alice.join(self.lobby)
            try await alice.send("MODE \(self.lobby) +H 10:1d")
            try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): asked before you came")
            _ = try testbed.launchBridge(testbed.configuration())
            try await alice.waitForJoin(of: self.bot, to: self.lobby)

            testbed.stub.enqueue(.reply("Asked while I was here."))
            try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): asked now")
            let answer = try await alice.waitForPrivmsg(from: self.bot, to: self.lobby)
            #expect(answer.parameters.last == "alice: Asked while I was here.")
            #expect(testbed.stub.conversationRequests.map(\.questionText) == ["alice: asked now"])
            await alice.quit()
        }
    }

    @Test func eachChannelContinuesItsOwnConversation() async throws {
        let alpha = "#alpha"
        let beta = "#beta"
        let alphaID = "a1a1a1a1-0000-4000-8000-00000000a1a1"
        let betaID = "b2b2b2b2-0000-4000-8000-00000000b2b2"
        try await BridgeTestbed.run { testbed in
            let alice = try await testbed.person("alice")
            try await alice.join(alpha)
            try await alice.join(beta)
            try testbed.launchBridge(testbed.configuration(channels: [alpha, beta]))
            try await alice.waitForJoin(of: self.bot, to: alpha)
            try await alice.waitForJoin(of: self.bot, to: beta)

            // One at a time, so the order of GoAPI requests is the order of the questions.
            let exchanges: [(channel: String, line: String, behaviour: StubGoAPIServer.Behaviour, answer: String)] = [
                (
                    alpha, "\(self.bot): first in alpha",
                    .turn(conversationID: alphaID, question: "alice: first in alpha", reply: "Alpha one."),
                    "Alpha one."
                ),
                (
                    beta, "!gpt first in beta",
                    .turn(conversationID: betaID, question: "alice: first in beta", reply: "Beta one."),
                    "Beta one."
                ),
                (alpha, "\(self.bot): second in alpha", .reply("Alpha two."), "Alpha two."),
                (beta, "!gpt second in beta", .reply("Beta two."), "Beta two."),
            ]
            for exchange in exchanges {
                testbed.stub.enqueue(exchange.behaviour)
                try await alice.send("PRIVMSG \(exchange.channel) :\(exchange.line)")
                let answer = try await alice.waitForPrivmsg(from: self.bot, to: exchange.channel)
                #expect(answer.parameters.last == "alice: \(exchange.answer)")
            }

            let requests = testbed.stub.conversationRequests
            #expect(
                requests.map(\.path) == [
                    StubGoAPIServer.createPath,
                    StubGoAPIServer.createPath,
                    StubGoAPIServer.addMessagePath(alphaID),
                    StubGoAPIServer.addMessagePath(betaID),
                ]
            )
            #expect(
                requests.map(\.questionText) == [
                    "alice: first in alpha", "alice: first in beta", "alice: second in alpha",
                    "alice: second in beta",
                ]
            )
            await alice.quit()
        }
    }

    @Test func resetByAChannelOperatorStartsANewConversation() async throws {
        let firstID = "c3c3c3c3-0000-4000-8000-00000000c3c3"
        try await BridgeTestbed.run { testbed in
            // Alice makes the channel before the bot arrives, so she is its operator.
            let alice = try await testbed.person("alice")
            #expect(try await alice.join(self.lobby) == ["@alice"])
            try testbed.launchBridge(testbed.configuration())
            try await alice.waitForJoin(of: self.bot, to: self.lobby)

            testbed.stub.enqueue(.turn(conversationID: firstID, question: "alice: one", reply: "First."))
            try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): one")
            _ = try await alice.waitForReply(from: self.bot, startingWith: "alice: First.")
            try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): two")
            _ = try await alice.waitForReply(from: self.bot, startingWith: "alice: \(StubGoAPIServer.defaultReply)")

            try await alice.send("PRIVMSG \(self.lobby) :!gpt reset")
            let done = try await alice.waitForReply(from: self.bot, startingWith: "alice: ")
            #expect(done.parameters.last?.contains("new conversation") == true, "\(done.raw)")

            try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): three")
            _ = try await alice.waitForReply(from: self.bot, startingWith: "alice: \(StubGoAPIServer.defaultReply)")
            #expect(
                testbed.stub.conversationRequests.map(\.path) == [
                    StubGoAPIServer.createPath,
                    StubGoAPIServer.addMessagePath(firstID),
                    StubGoAPIServer.createPath,
                ]
            )
            await alice.quit()
        }
    }

    @Test func resetByAnAdminMaskWorksAndOthersAreRefused() async throws {
        let firstID = "d4d4d4d4-0000-4000-8000-00000000d4d4"
        try await BridgeTestbed.run { testbed in
            var configuration = testbed.configuration()
            configuration.admins = ["bob!*@*"]
            let bridge = try testbed.launchBridge(configuration)
            async let carolClient = testbed.person("carol")
            async let bobClient = testbed.person("bob")
            let (carol, bob) = try await (carolClient, bobClient)
            // The bot makes the channel, so neither carol nor bob is a channel operator.
            try await bridge.waitForLog(containing: "joined channel")
            try await carol.join(self.lobby)
            let names = try await bob.join(self.lobby)
            #expect(names.contains("@\(self.bot)") && names.contains("carol") && names.contains("bob"), "\(names)")

            testbed.stub.enqueue(.turn(conversationID: firstID, question: "carol: one", reply: "First."))
            try await carol.send("PRIVMSG \(self.lobby) :\(self.bot): one")
            _ = try await carol.waitForReply(from: self.bot, startingWith: "carol: First.")

            try await carol.send("PRIVMSG \(self.lobby) :!gpt reset")
            let refused = try await carol.waitForReply(from: self.bot, startingWith: "carol: ")
            #expect(refused.parameters.last?.contains("only channel operators") == true, "\(refused.raw)")
            try await carol.send("PRIVMSG \(self.lobby) :\(self.bot): two")
            _ = try await carol.waitForReply(from: self.bot, startingWith: "carol: \(StubGoAPIServer.defaultReply)")

            try await bob.send("PRIVMSG \(self.lobby) :!gpt reset")
            let done = try await bob.waitForReply(from: self.bot, startingWith: "bob: ")
            #expect(done.parameters.last?.contains("new conversation") == true, "\(done.raw)")
            try await bob.send("PRIVMSG \(self.lobby) :\(self.bot): three")
            _ = try await bob.waitForReply(from: self.bot, startingWith: "bob: \(StubGoAPIServer.defaultReply)")

            #expect(
                testbed.stub.conversationRequests.map(\.path) == [
                    StubGoAPIServer.createPath,
                    StubGoAPIServer.addMessagePath(firstID),
                    StubGoAPIServer.createPath,
                ],
                "carol's reset was refused, bob's (an admin mask) was not"
            )
            await carol.quit()
            await bob.quit()
        }
    }
}
