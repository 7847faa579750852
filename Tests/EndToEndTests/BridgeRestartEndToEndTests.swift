import BridgeTesting
import Testing

/// Conversations outlive restarts: of the bridge (the SQLite file keeps the ids) and of the IRC server (the
/// bridge reconnects and rejoins by itself).
@Suite(.inspircdInstalled, .bridgeBinaryBuilt, .timeLimit(.minutes(3)))
struct BridgeRestartEndToEndTests {
    private let bot = BridgeTestbed.botNick
    private let lobby = BridgeTestbed.channel

    @Test func aRestartedBridgeQuitsPolitelyAndContinuesTheStoredConversation() async throws {
        let conversationID = "e5e5e5e5-0000-4000-8000-00000000e5e5"
        try await BridgeTestbed.run { testbed in
            let alice = try await testbed.person("alice")
            try await alice.join(self.lobby)
            var configuration = testbed.configuration()
            configuration.quitMessage = "back in a moment, says the e2e test"
            let first = try testbed.launchBridge(configuration)
            try await alice.waitForJoin(of: self.bot, to: self.lobby)
            testbed.stub.enqueue(.turn(conversationID: conversationID, question: "alice: remember 42", reply: "Noted."))
            try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): remember 42")
            _ = try await alice.waitForReply(from: self.bot, startingWith: "alice: Noted.")

            #expect(await first.stop() == .exited(0), "SIGTERM is a clean shutdown")
            let quit = try await alice.waitForMessage("QUIT of \(self.bot)") {
                $0.command == "QUIT" && $0.sourceNick == self.bot
            }
            #expect(quit.parameters.last?.contains("back in a moment, says the e2e test") == true, "\(quit.raw)")

            try testbed.launchBridge(configuration)
            try await alice.waitForJoin(of: self.bot, to: self.lobby)
            testbed.stub.enqueue(.reply("It was 42."))
            try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): what did I ask you to remember?")
            _ = try await alice.waitForReply(from: self.bot, startingWith: "alice: It was 42.")
            #expect(
                testbed.stub.conversationRequests.map(\.path) == [
                    StubGoAPIServer.createPath,
                    StubGoAPIServer.addMessagePath(conversationID),
                ],
                "the second run continues the conversation the first run stored"
            )
            await alice.quit()
        }
    }

    @Test func theBridgeReconnectsAfterTheIRCServerRestartsAndKeepsTheConversation() async throws {
        let conversationID = "f6f6f6f6-0000-4000-8000-00000000f6f6"
        try await BridgeTestbed.run { testbed in
            let alice = try await testbed.person("alice")
            try await alice.join(self.lobby)
            let bridge = try testbed.launchBridge(testbed.configuration())
            try await alice.waitForJoin(of: self.bot, to: self.lobby)
            testbed.stub.enqueue(.turn(conversationID: conversationID, question: "alice: before", reply: "Before."))
            try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): before")
            _ = try await alice.waitForReply(from: self.bot, startingWith: "alice: Before.")

            try await testbed.server.restart()
            alice.close()
            try await bridge.waitForLog(containing: "disconnected; reconnecting")

            // Nobody helps the bridge back: it reconnects on its own backoff (1 s, then doubling) and rejoins.
            let aliceAgain = try await testbed.person("alice")
            try await aliceAgain.join(self.lobby, thenAwait: self.bot)
            try await aliceAgain.send("PRIVMSG \(self.lobby) :\(self.bot): after")
            _ = try await aliceAgain.waitForReply(
                from: self.bot,
                startingWith: "alice: \(StubGoAPIServer.defaultReply)"
            )
            #expect(bridge.termination == nil, "the same process carried on")
            #expect(
                testbed.stub.conversationRequests.map(\.path) == [
                    StubGoAPIServer.createPath,
                    StubGoAPIServer.addMessagePath(conversationID),
                ]
            )
            await aliceAgain.quit()
        }
    }
}
