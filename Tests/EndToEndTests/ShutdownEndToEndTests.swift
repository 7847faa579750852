import BridgeTesting
import Testing

/// SIGTERM as systemd or a container runtime sends it: an answer GoAPI is still streaming is finished and said in
/// the channel before the bot quits; a second signal, or the end of `shutdown.gracePeriodSeconds`, ends a shutdown
/// that would otherwise wait on GoAPI for a long time, and the asker is told to ask again; every way, the process
/// exits with status 0.
@Suite(.inspircdInstalled, .bridgeBinaryBuilt, .timeLimit(.minutes(3)))
struct ShutdownEndToEndTests {
    private let bot = BridgeTestbed.botNick
    private let lobby = BridgeTestbed.channel

    /// Starts a bridge with `configuration` once Alice is in the channel, asks a question and returns once GoAPI
    /// has it.
    private func askAndAwaitGoAPI(
        _ testbed: BridgeTestbed,
        _ configuration: BridgeConfigFile
    ) async throws -> (TestIRCClient, BridgeProcess) {
        let alice = try await testbed.person("alice")
        try await alice.join(self.lobby)
        let bridge = try testbed.launchBridge(configuration)
        try await alice.waitForJoin(of: self.bot, to: self.lobby)
        try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): take your time")
        try await waitUntil("GoAPI receiving the question") { testbed.stub.conversationRequests.count == 1 }
        return (alice, bridge)
    }

    /// The bot's QUIT as `person` sees it carries the configured message, even when the shutdown was cut short
    /// (not a "connection reset" from the server).
    private func expectQuit(of person: TestIRCClient, saying message: String) async throws {
        let quit = try await person.waitForMessage("QUIT of \(self.bot)", timeout: .seconds(30)) {
            $0.command == "QUIT" && $0.sourceNick == self.bot
        }
        #expect(quit.parameters.last?.contains(message) == true, "\(quit.raw)")
    }

    /// What Alice sees when a forced shutdown cuts off the answer to her question: one line telling her to ask
    /// again, then the QUIT with the configured message.
    private func expectCutOffNoticeThenQuit(_ alice: TestIRCClient, saying message: String) async throws {
        let first = try await alice.waitForMessage("the bot's next PRIVMSG or QUIT", timeout: .seconds(30)) {
            ($0.command == "PRIVMSG" || $0.command == "QUIT") && $0.sourceNick == self.bot
        }
        #expect(
            first.parameters == [
                self.lobby, "alice: I am shutting down before I could answer that; please ask again when I am back.",
            ],
            "the notice comes before the QUIT: \(first.raw)"
        )
        try await self.expectQuit(of: alice, saying: message)
    }

    /// The bot's PRIVMSGs Alice sees up to its QUIT, and the QUIT.
    private func botLinesUntilQuit(_ alice: TestIRCClient) async throws -> (lines: [String], quit: TestIRCMessage) {
        var lines: [String] = []
        while true {
            let message = try await alice.waitForMessage("the bot's next PRIVMSG or QUIT", timeout: .seconds(30)) {
                ($0.command == "PRIVMSG" || $0.command == "QUIT") && $0.sourceNick == self.bot
            }
            guard message.command == "PRIVMSG" else { return (lines, message) }
            lines.append(message.parameters.last ?? "")
        }
    }

    /// Configuration and stub for a long answer that leaves the flood queue one line every 5 s: a shutdown that
    /// begins after its first line cannot send the rest, whether it waits its 10 s for the queue or is cut short.
    private func slowLongAnswer(_ testbed: BridgeTestbed, quitMessage: String) -> BridgeConfigFile {
        var configuration = testbed.configuration()
        configuration.quitMessage = quitMessage
        configuration.flood = (burst: 1, intervalSeconds: 5)
        testbed.stub.enqueue(.reply((1...8).map { "Point \($0) of the plan." }.joined(separator: "\n\n")))
        return configuration
    }

    /// Alice asks for the long answer and gets its first line.
    private func askForTheLongAnswer(
        _ testbed: BridgeTestbed,
        _ configuration: BridgeConfigFile
    ) async throws
        -> (TestIRCClient, BridgeProcess)
    {
        let alice = try await testbed.person("alice")
        try await alice.join(self.lobby)
        let bridge = try testbed.launchBridge(configuration)
        try await alice.waitForJoin(of: self.bot, to: self.lobby)
        try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): what is the plan?")
        let first = try await alice.waitForMessage("the answer's first line", timeout: .seconds(30)) {
            $0.command == "PRIVMSG" && $0.sourceNick == self.bot
        }
        #expect(first.parameters == [self.lobby, "alice: Point 1 of the plan."], "\(first.raw)")
        return (alice, bridge)
    }

    /// What Alice sees of the rest of a long answer when the bot quits before all of it is out: maybe some more
    /// lines, never the last, then one line telling her to ask again, then the QUIT.
    private func expectTheRestCutShort(_ alice: TestIRCClient, quitMessage: String) async throws {
        let (lines, quit) = try await self.botLinesUntilQuit(alice)
        #expect(
            lines.last == "alice: I am shutting down before I could answer that; please ask again when I am back.",
            "the notice comes last, right before the QUIT: \(lines)"
        )
        #expect(!lines.contains { $0.contains("Point 8") }, "the answer was not all out: \(lines)")
        #expect(quit.parameters.last?.contains(quitMessage) == true, "\(quit.raw)")
    }

    @Test func anAnswerStillQueuedWhenTheGracefulQuitComesEndsWithTheNotice() async throws {
        try await BridgeTestbed.run { testbed in
            let configuration = self.slowLongAnswer(testbed, quitMessage: "e2e queue not drained")
            let (alice, bridge) = try await self.askForTheLongAnswer(testbed, configuration)
            #expect(await bridge.stop(gracePeriod: .seconds(60)) == .exited(0))
            try await self.expectTheRestCutShort(alice, quitMessage: "e2e queue not drained")
            let logged = bridge.log.contains("irc.shutdown_notices=1")
            #expect(logged, "the graceful QUIT sent the notice and said so")
            await alice.quit()
        }
    }

    @Test func anAnswerStillQueuedWhenASecondSIGTERMComesEndsWithTheNotice() async throws {
        try await BridgeTestbed.run { testbed in
            let configuration = self.slowLongAnswer(testbed, quitMessage: "e2e queue cut short")
            let (alice, bridge) = try await self.askForTheLongAnswer(testbed, configuration)
            async let first = bridge.stop(gracePeriod: .seconds(60))
            try await bridge.waitForLog(containing: "Shutting down gracefully")
            // A signal within half a second of the first is the same request delivered twice (ShutdownSignals).
            try await Task.sleep(for: .seconds(1))
            async let second = bridge.stop(gracePeriod: .seconds(60))
            #expect(await bridge.waitForExit(timeout: .seconds(30)) == .exited(0))
            _ = await (first, second)
            try await self.expectTheRestCutShort(alice, quitMessage: "e2e queue cut short")
            let logged =
                bridge.log.contains("sent QUIT (shutdown cut short)") && bridge.log.contains("irc.shutdown_notices=1")
            #expect(logged, "the cut-short QUIT sent the notice and said so")
            await alice.quit()
        }
    }

    @Test func aReplyStreamingWhenSIGTERMArrivesIsSaidBeforeTheBotQuits() async throws {
        let reply = "Slow and steady: every word of this answer arrives."
        try await BridgeTestbed.run { testbed in
            var configuration = testbed.configuration()
            configuration.quitMessage = "e2e shutdown, answers first"
            // The answer has begun streaming and is held until the shutdown has begun: an answer that merely takes a
            // few seconds could be over before a slow machine gets the signal to the bridge.
            let shutdownBegun = StubGate()
            testbed.stub.enqueue(.replyWhenOpened(reply, shutdownBegun))
            let (alice, bridge) = try await self.askAndAwaitGoAPI(testbed, configuration)

            async let ending = bridge.stop(gracePeriod: .seconds(60))
            try await bridge.waitForLog(containing: "Shutting down gracefully")
            #expect(
                testbed.stub.conversationsInFlight == 1,
                "the shutdown began while the answer was still streaming"
            )
            shutdownBegun.open()

            let (lines, quit) = try await self.botLinesUntilQuit(alice)
            #expect(lines == ["alice: \(reply)"], "the whole answer before the QUIT, and no notice: it is out")
            #expect(quit.parameters.last?.contains("e2e shutdown, answers first") == true, "\(quit.raw)")
            #expect(await ending == .exited(0))
            #expect(testbed.stub.conversationRequests.count == 1, "asked once, not again at shutdown")
            await alice.quit()
        }
    }

    @Test func aSecondSIGTERMEndsAShutdownThatWaitsOnGoAPI() async throws {
        try await BridgeTestbed.run { testbed in
            var configuration = testbed.configuration()
            configuration.shutdownGracePeriodSeconds = 120
            configuration.quitMessage = "e2e forced shutdown"
            testbed.stub.enqueue(.stall(partial: "Let me think"))
            let (alice, bridge) = try await self.askAndAwaitGoAPI(testbed, configuration)

            async let first = bridge.stop(gracePeriod: .seconds(150))
            try await bridge.waitForLog(containing: "Shutting down gracefully")
            #expect(
                await bridge.waitForExit(timeout: .seconds(3)) == nil,
                "the first signal waits for the answer GoAPI is stalling on"
            )

            let secondSent = ContinuousClock.now
            async let second = bridge.stop(gracePeriod: .seconds(150))
            // "At once" next to the 120 s grace period: a loaded machine takes seconds to stop a debug binary.
            let ended = await bridge.waitForExit(timeout: .seconds(30))
            #expect(ended == .exited(0), "the second signal ends the process at once, cleanly")
            #expect(ContinuousClock.now - secondSent < .seconds(30))
            #expect(bridge.log.contains("Second signal: cancelling the rest of the shutdown"))
            _ = await (first, second)
            try await self.expectCutOffNoticeThenQuit(alice, saying: "e2e forced shutdown")
            await alice.quit()
        }
    }

    @Test func theGracePeriodEndsAShutdownThatWaitsOnGoAPI() async throws {
        try await BridgeTestbed.run { testbed in
            var configuration = testbed.configuration()
            configuration.shutdownGracePeriodSeconds = 1
            configuration.quitMessage = "e2e grace period over"
            testbed.stub.enqueue(.stall(partial: "Let me think"))
            let (alice, bridge) = try await self.askAndAwaitGoAPI(testbed, configuration)

            let signalled = ContinuousClock.now
            let ending = await bridge.stop(gracePeriod: .seconds(60))
            let took = ContinuousClock.now - signalled
            #expect(ending == .exited(0))
            #expect(took >= .milliseconds(900), "the grace period was given to the answer")
            #expect(took < .seconds(30), "and no more than that, near enough (next to the 60 s the test allows)")
            // An operator hears why work was cut short, and a routine stop sets off no error alert.
            #expect(bridge.log.contains("The grace period ran out; what was still running was cancelled"))
            let errors = bridge.log.split(separator: "\n").filter { $0.contains("level=error") }
            #expect(errors.isEmpty, "\(errors)")
            try await self.expectCutOffNoticeThenQuit(alice, saying: "e2e grace period over")
            await alice.quit()
        }
    }
}
