import BridgeTesting
import Foundation
import Testing

@testable import goapi_bridge

@Suite struct IRCSectionReadingTests {
    private func network(_ patch: [String: JSONValue]) throws -> BridgeConfiguration.IRCSection.Network {
        let configuration = try ConfigFixture.load(
            ConfigFixture.document(networks: [ConfigFixture.network.merging(patch)])
        )
        return try #require(configuration.irc?.networks.first)
    }

    @Test func networksAreRequiredInTheSection() {
        let document = ConfigFixture.document(networks: nil, extra: ["irc": [:]])
        #expect(ConfigFixture.problems(document) == ["irc.networks: required key is missing"])
    }

    @Test func networksMustNotBeEmpty() {
        #expect(
            ConfigFixture.problems(ConfigFixture.document(networks: []))
                == ["irc.networks: must not be empty (remove the irc section to run without IRC)"]
        )
    }

    @Test func networkNamesAreUniqueIgnoringCase() {
        let second = ConfigFixture.network.merging(["name": "Libera", "host": "irc.example.net"])
        #expect(
            ConfigFixture.problems(ConfigFixture.document(networks: [ConfigFixture.network, second]))
                == [#"irc.networks[1].name: "Libera" is listed twice (first at irc.networks[0].name)"#]
        )
    }

    /// A port written into `host` (the `host:port` form other clients take) or an IPv6 address in URL brackets
    /// passed `check-config`; `run` then retried forever with "DNS error: ... UnknownHost ... for host
    /// irc.libera.chat:6697" and never connected.
    @Test(arguments: ["irc.libera.chat:6697", "127.0.0.1:6697", "[2001:db8::1]"])
    func aHostWithAPortOrBracketsIsRefused(host: String) {
        let problems = ConfigFixture.networkProblems(["host": .string(host)])
        #expect(problems.contains { $0.hasPrefix("irc.networks[0].host: ") }, "\(problems)")
    }

    @Test func portDefaultsByTLS() throws {
        #expect(try network([:]).port == 6697)
        #expect(try network(["tls": false]).port == 6667)
        #expect(try network(["tls": false, "port": 7000]).port == 7000)
    }

    @Test func usernameDefaultsToTheNick() throws {
        #expect(try network(["nick": "helper"]).username == "helper")
        #expect(try network(["nick": "helper", "username": "ident"]).username == "ident")
    }

    @Test func readsListsOfNicksAndMasks() throws {
        let network = try network([
            "altNicks": ["gptbot_", "[gpt]", "gpt|bot", "`gpt`"],
            "admins": ["alice!*@user/alice"],
            "ignore": ["*!*@bots.example.org", "?bot!*@*"],
        ])
        #expect(network.altNicks == ["gptbot_", "[gpt]", "gpt|bot", "`gpt`"])
        #expect(network.admins == ["alice!*@user/alice"])
        #expect(network.ignore == ["*!*@bots.example.org", "?bot!*@*"])
    }

    @Test(
        arguments: [
            (
                ["name": "libera chat"],
                #"irc.networks[0].name: "libera chat" may only contain letters, digits, - and _"#
            ),
            (["name": nil], "irc.networks[0].name: required key is missing"),
            (["host": nil], "irc.networks[0].host: required key is missing"),
            (["host": "irc example"], #"irc.networks[0].host: "irc example" is not a host name or IP address"#),
            (["port": 0], "irc.networks[0].port: must be 1-65535, not 0"),
            (["port": 65536], "irc.networks[0].port: must be 1-65535, not 65536"),
            (["tlsVerify": "no"], "irc.networks[0].tlsVerify: expected true or false, found a string"),
            (["nick": nil], "irc.networks[0].nick: required key is missing"),
            (
                ["nick": "gpt bot"],
                #"irc.networks[0].nick: "gpt bot" is not a valid nick"# + ConfigFixture.nickHint
            ),
            (
                ["nick": "-bot"],
                #"irc.networks[0].nick: "-bot" is not a valid nick"# + ConfigFixture.nickHint
            ),
            (
                ["nick": "bötbot"],
                #"irc.networks[0].nick: "bötbot" is not a valid nick"# + ConfigFixture.nickHint
            ),
            (
                ["nick": .string(String(repeating: "a", count: 31))],
                #"irc.networks[0].nick: "\#(String(repeating: "a", count: 31))" is longer than 30 characters"#
            ),
            (
                ["altNicks": ["ok", "1bad"]],
                #"irc.networks[0].altNicks[1]: "1bad" is not a valid nick"# + ConfigFixture.nickHint
            ),
            (["username": "gpt@bot"], #"irc.networks[0].username: "gpt@bot" must be one word without spaces or @"#),
            (
                ["realname": "two\nlines"],
                "irc.networks[0].realname: must not contain line breaks or control characters"
            ),
            (["quitMessage": ""], "irc.networks[0].quitMessage: must not be empty"),
            (["password": ""], "irc.networks[0].password: must not be empty"),
            (["maxLinesPerReply": 0], "irc.networks[0].maxLinesPerReply: must be 1-100, not 0"),
            (["maxLinesPerReply": 101], "irc.networks[0].maxLinesPerReply: must be 1-100, not 101"),
            (["commandPrefix": ""], "irc.networks[0].commandPrefix: must not be empty"),
            (["commandPrefix": "! gpt"], #"irc.networks[0].commandPrefix: "! gpt" must not contain spaces"#),
            (
                ["admins": ["alice"]],
                #"irc.networks[0].admins[0]: "alice" is not a nick!user@host mask (* and ? are wildcards, e.g. alice!*@*.example.org)"#
            ),
            (
                ["ignore": ["bot!@host"]],
                #"irc.networks[0].ignore[0]: "bot!@host" is not a nick!user@host mask (* and ? are wildcards, e.g. alice!*@*.example.org)"#
            ),
            (["replyTTLSeconds": 0], "irc.networks[0].replyTTLSeconds: must be greater than 0, not 0"),
            (["queueLimit": -1], "irc.networks[0].queueLimit: must be 0-100, not -1"),
            (["userRateLimit": ["questions": 0]], "irc.networks[0].userRateLimit.questions: must be 1-100000, not 0"),
            (
                ["userRateLimit": ["perSeconds": 0]],
                "irc.networks[0].userRateLimit.perSeconds: must be greater than 0, not 0"
            ),
            (["userRateLimit": ["requests": 5]], "irc.networks[0].userRateLimit.requests: unknown key"),
            (["flood": ["burst": 0]], "irc.networks[0].flood.burst: must be 1-100, not 0"),
            (["flood": ["intervalSeconds": 0]], "irc.networks[0].flood.intervalSeconds: must be greater than 0, not 0"),
            (["chanels": []], #"irc.networks[0].chanels: unknown key (did you mean "channels"?)"#),
        ] as [([String: JSONValue], String)]
    )
    func rejectsInvalidNetworkSettings(patch: [String: JSONValue], problem: String) {
        #expect(ConfigFixture.networkProblems(patch) == [problem])
    }

    @Test func queueLimitMayBeZero() throws {
        #expect(try network(["queueLimit": 0]).queueLimit == 0)
    }

    @Test func caFileMustExist() {
        #expect(
            ConfigFixture.networkProblems(["caFile": "/nonexistent/ca.pem"])
                == ["irc.networks[0].caFile: file not found: /nonexistent/ca.pem"]
        )
    }

    @Test func caFileMustNotBeADirectory() {
        let directory = FileManager.default.temporaryDirectory.path
        #expect(
            ConfigFixture.networkProblems(["caFile": .string(directory)])
                == ["irc.networks[0].caFile: \(directory) is a directory, not a file"]
        )
    }

    @Test func usableFilesAreAccepted() throws {
        let (certificate, key) = (TestData.tlsFile("client.pem"), TestData.tlsFile("client.key"))
        let network = try network([
            "caFile": .string(certificate), "clientCertFile": .string(certificate), "clientKeyFile": .string(key),
        ])
        #expect(network.caFile == certificate)
        #expect(network.clientCertificate == .init(certificateFile: certificate, keyFile: key))
    }

    /// Files that exist but cannot be used are configuration errors naming the file and what is wrong; before,
    /// `check-config` passed them and every connection attempt failed with `failedToLoadCertificate`.
    @Test func unusableFilesAreReportedWithWhatIsWrong() throws {
        let text = try ConfigFixture.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: text) }
        try Data("irc.example.org\n".utf8).write(to: URL(fileURLWithPath: text))
        let (certificate, key, other) = (
            TestData.tlsFile("client.pem"), TestData.tlsFile("client.key"), TestData.tlsFile("other.key")
        )
        #expect(
            ConfigFixture.networkProblems(["caFile": .string(text)])
                == [#"irc.networks[0].caFile: "\#(text)" holds no PEM certificate"#]
        )
        #expect(
            ConfigFixture.networkProblems(["clientCertFile": .string(key), "clientKeyFile": .string(key)])
                == [#"irc.networks[0].clientCertFile: "\#(key)" holds no PEM certificate"#]
        )
        #expect(
            ConfigFixture.networkProblems(["clientCertFile": .string(certificate), "clientKeyFile": .string(text)])
                == [
                    #"irc.networks[0].clientKeyFile: "\#(text)" is not a PEM private key (an encrypted key needs its "#
                        + "passphrase removed)"
                ]
        )
        #expect(
            ConfigFixture.networkProblems(["clientCertFile": .string(certificate), "clientKeyFile": .string(other)])
                == [
                    #"irc.networks[0].clientKeyFile: "\#(other)" is not the private key of clientCertFile "\#(certificate)""#
                ]
        )
    }

    @Test func clientCertificateNeedsItsKeyAndViceVersa() throws {
        let file = try ConfigFixture.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(
            ConfigFixture.networkProblems(["clientCertFile": .string(file)])
                == ["irc.networks[0].clientKeyFile: required when clientCertFile is set"]
        )
        #expect(
            ConfigFixture.networkProblems(["clientKeyFile": .string(file)])
                == ["irc.networks[0].clientCertFile: required when clientKeyFile is set"]
        )
    }

    @Test func certificateFilesNeedTLS() throws {
        let file = try ConfigFixture.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(
            ConfigFixture.networkProblems(["tls": false, "caFile": .string(file)])
                == ["irc.networks[0].caFile: only used when tls is true"]
        )
    }
}
