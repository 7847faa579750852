import BridgeTesting
import Foundation
import Testing

/// What a model says cannot become IRC commands, and what the operator configures as secret stays out of logs.
@Suite(.inspircdInstalled, .bridgeBinaryBuilt, .timeLimit(.minutes(3)))
struct BridgeSafetyEndToEndTests {
    private let bot = BridgeTestbed.botNick
    private let lobby = BridgeTestbed.channel

    @Test func aReplyTryingToInjectCommandsArrivesAsHarmlessText() async throws {
        try await BridgeTestbed.run { testbed in
            let alice = try await testbed.person("alice")
            try await alice.join(self.lobby)
            try testbed.launchBridge(testbed.configuration())
            try await alice.waitForJoin(of: self.bot, to: self.lobby)

            testbed.stub.enqueue(.reply("Sure.\r\nQUIT :pwned\u{0}\u{01}ACTION waves\u{01}"))
            try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): say something nasty")
            var lines: [TestIRCMessage] = []
            while !lines.contains(where: { $0.raw.contains("pwned") }) {
                lines.append(try await alice.waitForPrivmsg(from: self.bot, to: self.lobby))
            }
            #expect(lines.first?.parameters.last == "alice: Sure.")
            let text = lines.compactMap(\.parameters.last).joined(separator: "\n")
            #expect(text.contains("QUIT :pwned"), "the text is said, not obeyed")
            #expect(text.contains("ACTION waves"))
            for line in lines {
                #expect(
                    !line.raw.unicodeScalars.contains { $0 == "\u{0}" || $0 == "\u{01}" || $0 == "\r" },
                    "no NUL, CTCP delimiter or CR on the wire: \(line.raw.debugDescription)"
                )
            }

            try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): still with us?")
            _ = try await alice.waitForReply(from: self.bot, startingWith: "alice: \(StubGoAPIServer.defaultReply)")
            let quit = try await alice.firstMessage(within: .milliseconds(500)) {
                $0.command == "QUIT" && $0.sourceNick == self.bot
            }
            #expect(quit == nil, "the bot quit: \(quit?.raw ?? "")")
            await alice.quit()
        }
    }

    @Test func secretsStayOutOfTheTraceLog() async throws {
        let saslPassword = "e2e-sasl-Zr8mQ4vTn2Kx"
        try await BridgeTestbed.run(withServices: true) { testbed in
            try await testbed.server.registerAccount(name: self.bot, password: saslPassword)
            let alice = try await testbed.person("alice")
            try await alice.join(self.lobby)
            var configuration = testbed.configuration()
            configuration.saslAccount = self.bot
            configuration.logLevel = "trace"
            let bridge = try testbed.launchBridge(
                configuration,
                secrets: [BridgeConfigFile.saslPasswordVariable: saslPassword]
            )
            try await alice.waitForJoin(of: self.bot, to: self.lobby)
            try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): use your key")
            _ = try await alice.waitForReply(from: self.bot, startingWith: "alice: \(StubGoAPIServer.defaultReply)")
            #expect(await bridge.stop() == .exited(0))

            #expect(
                testbed.stub.conversationRequests.first?.headers["x-api-key"] == BridgeTestbed.apiKey,
                "the key was in use"
            )
            let log = bridge.log
            let tracedAuthentication = log.contains("level=trace") && log.contains("AUTHENTICATE")
            #expect(tracedAuthentication, "the log is at trace level and shows the SASL exchange")
            let loggedIn = log.contains("SASL authentication succeeded")
            #expect(loggedIn, "the password was in use")
            // SASL PLAIN sends authzid NUL authcid NUL password in base64; either form of authzid is a leak.
            let plainPayloads = ["\(self.bot)\0\(self.bot)\0\(saslPassword)", "\0\(self.bot)\0\(saslPassword)"]
                .map { Data($0.utf8).base64EncodedString() }
            let leaked = ([BridgeTestbed.apiKey, saslPassword] + plainPayloads).filter { log.contains($0) }
            #expect(leaked.isEmpty, "the log (\(bridge.logFile)) contains secrets")
            await alice.quit()
        }
    }
}
