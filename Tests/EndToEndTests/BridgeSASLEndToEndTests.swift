import BridgeTesting
import Testing

/// SASL PLAIN against InspIRCd linked to Atheme, as on a real network: a good login comes before any JOIN, and a
/// refused one means no channel is joined at all.
@Suite(.inspircdInstalled, .bridgeBinaryBuilt, .timeLimit(.minutes(3)))
struct BridgeSASLEndToEndTests {
    private let bot = BridgeTestbed.botNick
    private let lobby = BridgeTestbed.channel

    @Test func theBridgeLogsInWithSASLPlainAndJoins() async throws {
        let password = "e2e-sasl-correct-horse-battery"
        try await BridgeTestbed.run(withServices: true) { testbed in
            try await testbed.server.registerAccount(name: self.bot, password: password)
            let alice = try await testbed.person("alice")
            try await alice.join(self.lobby)
            var configuration = testbed.configuration()
            configuration.saslAccount = self.bot
            let bridge = try testbed.launchBridge(
                configuration,
                secrets: [BridgeConfigFile.saslPasswordVariable: password]
            )
            try await alice.waitForJoin(of: self.bot, to: self.lobby)

            try await alice.send("WHOIS \(self.bot)")
            let whois = try await alice.waitForCommand("330", "318")
            #expect(whois.command == "330", "WHOIS shows an account: \(whois.raw)")
            #expect(whois.parameters.dropFirst().prefix(2) == [self.bot, self.bot], "logged in as the account")
            #expect(bridge.log.contains("SASL authentication succeeded"))
            await alice.quit()
        }
    }

    @Test func aRefusedSASLLoginJoinsNoChannel() async throws {
        try await BridgeTestbed.run(withServices: true) { testbed in
            try await testbed.server.registerAccount(name: self.bot, password: "e2e-sasl-the-real-password")
            let alice = try await testbed.person("alice")
            try await alice.join(self.lobby)
            var configuration = testbed.configuration()
            configuration.saslAccount = self.bot
            let bridge = try testbed.launchBridge(
                configuration,
                secrets: [BridgeConfigFile.saslPasswordVariable: "e2e-sasl-a-wrong-password"]
            )
            try await bridge.waitForLog(containing: "SASL authentication failed")

            let join = try await alice.firstMessage(within: .seconds(4)) {
                $0.command == "JOIN" && $0.sourceNick == self.bot
            }
            #expect(join == nil, "the bot joined although SASL failed: \(join?.raw ?? "")")
            #expect(!bridge.log.contains("joined channel"))
            #expect(bridge.termination == nil, "a refused login is logged, not fatal")
            await alice.quit()
        }
    }
}
