import Bridge
import IRC
import Testing

@testable import goapi_bridge

/// The configuration reaches the IRC connection as written.
@Suite struct IRCSectionWiringTests {
    @Test func ignoredMasksReachTheConnectionSoItSendsThemNoCTCPReplies() throws {
        let configuration = try ConfigFixture.load(
            ConfigFixture.document(networks: [ConfigFixture.network.merging(["ignore": ["*!*@bots.example.org"]])])
        )
        let network = try #require(configuration.irc?.networks.first)
        #expect(network.clientConfiguration.ignoreMasks == [IRCMask("*!*@bots.example.org")])
        #expect(network.bridgeConfiguration.ignoreMasks == ["*!*@bots.example.org"])
    }
}
