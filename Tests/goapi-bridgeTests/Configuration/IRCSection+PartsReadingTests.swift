import BridgeTesting
import Foundation
import Testing

@testable import goapi_bridge

@Suite struct IRCSectionPartsReadingTests {
    private func network(_ patch: [String: JSONValue]) throws -> BridgeConfiguration.IRCSection.Network {
        let configuration = try ConfigFixture.load(
            ConfigFixture.document(networks: [ConfigFixture.network.merging(patch)])
        )
        return try #require(configuration.irc?.networks.first)
    }

    @Test func readsChannelsWithTheirOverrides() throws {
        let channels = try network([
            "channels": [
                ["name": "#general"],
                ["name": "&local", "key": "s3cret", "gizmoId": "g-3w1rEXGE0", "model": "gpt-4o-mini"],
            ]
        ]).channels
        #expect(channels.map(\.name) == ["#general", "&local"])
        #expect(channels[0].key == nil && channels[0].gizmoId == nil && channels[0].model == nil)
        #expect(channels[1].key?.exposedValue == "s3cret")
        #expect(channels[1].gizmoId == "g-3w1rEXGE0")
        #expect(channels[1].model == "gpt-4o-mini")
    }

    @Test(
        arguments: [
            (["name": "design"], #"irc.networks[0].channels[0].name: "design" must start with # or &"#),
            (["name": "#"], ##"irc.networks[0].channels[0].name: "#" needs a name after the prefix"##),
            (
                ["name": "#a b"],
                ##"irc.networks[0].channels[0].name: "#a b" must not contain spaces, commas or control characters"##
            ),
            (
                ["name": "#a,b"],
                ##"irc.networks[0].channels[0].name: "#a,b" must not contain spaces, commas or control characters"##
            ),
            (
                ["name": "#a\u{7}b"],
                ##"irc.networks[0].channels[0].name: "#a\u0007b" must not contain spaces, commas or control characters"##
            ),
            (
                ["name": .string("#" + String(repeating: "x", count: 50))],
                "irc.networks[0].channels[0].name: \"#\(String(repeating: "x", count: 50))\" is longer than 50 characters"
            ),
            ([:], "irc.networks[0].channels[0].name: required key is missing"),
            (
                ["name": "#ok", "key": "a b"],
                "irc.networks[0].channels[0].key: must be non-empty without spaces, commas or control characters"
            ),
            (
                ["name": "#ok", "gizmoId": "abc"],
                #"irc.networks[0].channels[0].gizmoId: "abc" is not a GPT id"# + ConfigFixture.gizmoHint
            ),
            (["name": "#ok", "model": ""], "irc.networks[0].channels[0].model: must not be empty"),
            (["name": "#ok", "nmae": "x"], #"irc.networks[0].channels[0].nmae: unknown key (did you mean "name"?)"#),
        ] as [([String: JSONValue], String)]
    )
    func rejectsInvalidChannels(channel: [String: JSONValue], problem: String) {
        #expect(ConfigFixture.networkProblems(["channels": [.object(channel)]]) == [problem])
    }

    @Test func channelKeyProblemDoesNotQuoteTheKey() {
        let lines = ConfigFixture.networkProblems(["channels": [["name": "#ok", "key": "pass word"]]])
        #expect(lines.count == 1 && !lines[0].contains("pass word"))
    }

    @Test(arguments: [("#Ops", "#ops"), ("#a[b]", "#A{B}"), ("#x\\y~", "#X|Y^")])
    func duplicateChannelsAreFoundWithServerCaseMapping(first: String, second: String) {
        #expect(
            ConfigFixture.networkProblems(["channels": [["name": .string(first)], ["name": .string(second)]]])
                == [
                    ##"irc.networks[0].channels[1].name: "\##(second)" is listed twice (first at irc.networks[0].channels[0].name)"##
                ]
        )
    }

    @Test func sameChannelOnTwoNetworksIsFine() throws {
        let first = ConfigFixture.network.setting("channels", to: [["name": "#general"]])
        let second = first.merging(["name": "oftc", "host": "irc.oftc.net"])
        #expect(ConfigFixture.problems(ConfigFixture.document(networks: [first, second])) == [])
    }

    @Test func readsSASLPlain() throws {
        let sasl = try network(["sasl": ["mechanism": "PLAIN", "username": "account", "password": "pw"]]).sasl
        #expect(sasl == .plain(username: "account", password: Secret("pw")))
    }

    @Test func saslPlainNeedsUsernameAndPassword() {
        #expect(
            ConfigFixture.networkProblems(["sasl": ["mechanism": "PLAIN"]]) == [
                "irc.networks[0].sasl.username: required key is missing",
                "irc.networks[0].sasl.password: required key is missing",
            ]
        )
    }

    /// PLAIN separates its fields with NUL: a control character in the account name would corrupt the payload.
    @Test func aSASLUsernameWithAControlCharacterIsRefused() {
        #expect(
            ConfigFixture.networkProblems([
                "sasl": ["mechanism": "PLAIN", "username": "acc\u{0}ount", "password": "pw"]
            ])
                == ["irc.networks[0].sasl.username: must not contain line breaks or control characters"]
        )
    }

    @Test func saslExternalNeedsTheClientCertificate() {
        #expect(
            ConfigFixture.networkProblems(["sasl": ["mechanism": "EXTERNAL"]])
                == ["irc.networks[0].sasl.mechanism: EXTERNAL needs clientCertFile and clientKeyFile on the network"]
        )
    }

    @Test func saslExternalWithCertificateTakesNoCredentials() throws {
        let files: [String: JSONValue] = [
            "clientCertFile": .string(TestData.tlsFile("client.pem")),
            "clientKeyFile": .string(TestData.tlsFile("client.key")),
        ]
        #expect(try network(files.merging(["sasl": ["mechanism": "EXTERNAL"]]) { $1 }).sasl == .external)
        #expect(
            ConfigFixture.networkProblems(files.merging(["sasl": ["mechanism": "EXTERNAL", "password": "pw"]]) { $1 })
                == ["irc.networks[0].sasl.password: not used by mechanism EXTERNAL"]
        )
    }

    @Test func saslMechanismIsRequiredAndChecked() {
        #expect(
            ConfigFixture.networkProblems(["sasl": ["username": "a"]]) == [
                "irc.networks[0].sasl.mechanism: required key is missing"
            ]
        )
        #expect(
            ConfigFixture.networkProblems(["sasl": ["mechanism": "PLIAN", "username": "a", "password": "b"]])
                == [#"irc.networks[0].sasl.mechanism: "PLIAN" is not one of PLAIN, EXTERNAL (did you mean "PLAIN"?)"#]
        )
    }
}
