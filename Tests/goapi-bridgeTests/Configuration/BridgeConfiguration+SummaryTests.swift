import Testing

@testable import goapi_bridge

@Suite struct BridgeConfigurationSummaryTests {
    @Test func countsWhatWillRun() throws {
        let network = ConfigFixture.network.setting("channels", to: [["name": "#general"]])
        let configuration = try ConfigFixture.load(ConfigFixture.document(networks: [network]))
        #expect(configuration.summary == "1 IRC network, 1 channel, 0 webhook endpoints")
    }

    @Test func pluralisesEveryCount() throws {
        let first = ConfigFixture.network.setting("channels", to: [["name": "#a"], ["name": "#b"]])
        let second = first.merging(["name": "oftc", "host": "irc.oftc.net"])
        let document = ConfigFixture.document(
            networks: [first, second],
            endpoints: [ConfigFixture.genericEndpoint, ConfigFixture.slackEndpoint]
        )
        #expect(try ConfigFixture.load(document).summary == "2 IRC networks, 4 channels, 2 webhook endpoints")
    }
}
