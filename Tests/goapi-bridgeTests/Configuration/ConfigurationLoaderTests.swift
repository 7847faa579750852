import Foundation
import Logging
import Testing

@testable import goapi_bridge

@Suite struct ConfigurationLoaderTests {
    /// The variables `config.example.json` references.
    static let exampleEnvironment = [
        "GOAPI_API_KEY": "goapi-key",
        "IRC_SASL_PASSWORD": "sasl-password",
        "TEAM_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "SLACK_SIGNING_SECRET": "slack-signing",
        "SLACK_BOT_TOKEN": "xoxb-slack",
        "MATTERMOST_TOKEN": "mm-token",
        "MATTERMOST_BOT_TOKEN": "mm-bot",
    ]

    static var examplePath: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Configuration
            .deletingLastPathComponent()  // goapi-bridgeTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
            .appendingPathComponent("config.example.json").path
    }

    @Test func exampleConfigurationLoads() throws {
        let configuration = try ConfigurationLoader(environment: Self.exampleEnvironment)
            .load(contentsOf: Self.examplePath)
        #expect(configuration.goapi.apiKey.exposedValue == "goapi-key")
        #expect(configuration.goapi.fallback?.model == "gpt-4o-mini")
        #expect(configuration.irc?.networks.map(\.name) == ["libera"])
        #expect(configuration.irc?.networks.first?.channels.map(\.name) == ["#general", "#design"])
        #expect(configuration.webhooks?.endpoints.map(\.kind.name) == [.generic, .slack, .mattermost])
        #expect(configuration.summary == "1 IRC network, 2 channels, 3 webhook endpoints")
    }

    @Test func exampleConfigurationNamesEveryMissingVariable() {
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader(environment: [:]).load(contentsOf: Self.examplePath)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.problems.count == 8)
        #expect(error?.problems.allSatisfy { $0.message.hasPrefix("environment variable ") } == true)
    }

    @Test func minimalConfigurationGetsEveryDefault() throws {
        let configuration = try ConfigFixture.load(ConfigFixture.document())
        let goapi = configuration.goapi
        #expect(goapi.baseURL.absoluteString == "https://api.goapi.ai")
        #expect(goapi.model == "gpt-4o")
        #expect(goapi.gizmoId == nil)
        #expect(goapi.gizmoModel == "gpt-4o")
        #expect(goapi.replyTimeout == .seconds(180))
        #expect(goapi.connectTimeout == .seconds(10))
        #expect(goapi.idleTimeout == .seconds(60))
        #expect(goapi.maxConcurrentRequests == 4)
        #expect(goapi.retry == .init(maxAttempts: 3, initialBackoff: .milliseconds(500), maxBackoff: .seconds(8)))
        #expect(goapi.fallback == nil)
        #expect(
            configuration.storage == .init(sqlitePath: "goapi-bridge.sqlite", deliveryIdRetention: .seconds(86_400))
        )
        #expect(configuration.webhooks == nil)
        #expect(configuration.admin.listen == ListenAddress(host: "127.0.0.1", port: 9090))
        #expect(configuration.logging == .init(level: .info, format: .logfmt))

        let network = try #require(configuration.irc?.networks.first)
        let expected = BridgeConfiguration.IRCSection.Network(
            name: "libera",
            host: "irc.example.org",
            port: 6697,
            tls: true,
            tlsVerify: true,
            caFile: nil,
            clientCertificate: nil,
            password: nil,
            nick: "gptbot",
            altNicks: [],
            username: "gptbot",
            realname: "goapi-bridge",
            sasl: nil,
            flood: .init(burst: 4, interval: .seconds(2)),
            maxLinesPerReply: 10,
            commandPrefix: "!gpt",
            admins: [],
            ignore: [],
            replyTTL: .seconds(900),
            queueLimit: 5,
            userRateLimit: .init(count: 5, period: .seconds(60)),
            quitMessage: "goapi-bridge shutting down",
            channels: []
        )
        #expect(network == expected)
    }

    @Test func brokenConfigurationReportsEveryProblemWithItsPath() {
        let document: JSONValue = [
            "goapi": ["modle": "gpt-4o", "maxConcurrentRequests": 0, "gizmoId": "gpt-abc"],
            "irc": [
                "networks": [
                    [
                        "name": "libera", "host": "irc.example.org", "nick": "9bot", "port": 70000,
                        "channels": [["name": "design"], ["name": "#ops"], ["name": "#OPS"]],
                    ],
                    ["name": "libera", "host": "irc.example.net", "nick": "gptbot", "tls": "yes"],
                ]
            ],
            "webhooks": [
                "listen": "localhost",
                "endpoints": [
                    ["path": "/hooks/slack", "kind": "slack", "signingSecret": "env:SLACK", "replyURL": "https://x"]
                ],
            ],
            "logging": ["level": "verbose"],
        ]
        #expect(
            ConfigFixture.problems(document) == [
                #"goapi.apiKey: required key is missing"#,
                #"goapi.gizmoId: "gpt-abc" is not a GPT id (GPT ids are g- followed by letters and digits; "#
                    + #"from chatgpt.com/g/g-abc123-my-gpt use g-abc123)"#,
                #"goapi.maxConcurrentRequests: must be 1-256, not 0"#,
                #"goapi.modle: unknown key (did you mean "model"?)"#,
                #"irc.networks[0].port: must be 1-65535, not 70000"#,
                #"irc.networks[0].nick: "9bot" is not a valid nick (start with a letter or one of []\`_^{|}, "#
                    + #"then letters, digits, - or those symbols)"#,
                #"irc.networks[0].channels[0].name: "design" must start with # or &"#,
                ##"irc.networks[0].channels[2].name: "#OPS" is listed twice (first at irc.networks[0].channels[1].name)"##,
                #"irc.networks[1].tls: expected true or false, found a string"#,
                #"irc.networks[1].name: "libera" is listed twice (first at irc.networks[0].name)"#,
                #"webhooks.listen: "localhost" is not host:port (e.g. 127.0.0.1:8080 or [::1]:8080)"#,
                #"webhooks.endpoints[0].signingSecret: environment variable SLACK is not set"#,
                #"webhooks.endpoints[0].botToken: required key is missing"#,
                #"webhooks.endpoints[0].replyURL: not used by kind "slack""#,
                #"logging.level: "verbose" is not one of trace, debug, info, notice, warning, error, critical"#,
            ]
        )
    }

    @Test func missingFileIsOneProblemNamingThePath() {
        let path = "/nonexistent/goapi-bridge/config.json"
        #expect(
            throws: ConfigurationError(
                code: .unreadableFile,
                problems: [
                    ConfigProblem(
                        path: path,
                        message: "file not found",
                        hint: "pass the configuration file with --config"
                    )
                ]
            )
        ) {
            try ConfigurationLoader(environment: [:]).load(contentsOf: path)
        }
    }

    @Test func directoryIsNotAConfigurationFile() {
        let path = FileManager.default.temporaryDirectory.path
        #expect(
            throws: ConfigurationError(
                code: .unreadableFile,
                problems: [ConfigProblem(path: path, message: "is a directory, not a file")]
            )
        ) {
            try ConfigurationLoader(environment: [:]).load(contentsOf: path)
        }
    }

    /// `--config <(envsubst < template.json)` hands over a pipe; before, it was "cannot read the file (check its
    /// permissions)".
    @Test func aConfigurationFromAPipeLoads() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-fifo-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/config.json"
        #expect(mkfifo(fifo, 0o600) == 0)
        let contents = try Data(contentsOf: URL(fileURLWithPath: Self.examplePath))
        DispatchQueue.global().async {
            // Opening a FIFO for writing waits for its reader.
            guard let writer = FileHandle(forWritingAtPath: fifo) else { return }
            writer.write(contents)
            try? writer.close()
        }
        let configuration = try ConfigurationLoader(environment: Self.exampleEnvironment).load(contentsOf: fifo)
        #expect(configuration.goapi.model == "gpt-4o")
    }

    @Test func anEndlessFileIsRefusedOnceOverTheLimit() {
        #expect(
            throws: ConfigurationError(
                code: .unreadableFile,
                problems: [ConfigProblem(path: "/dev/zero", message: "is larger than 16 MiB")]
            )
        ) {
            try ConfigurationLoader(environment: [:]).load(contentsOf: "/dev/zero")
        }
    }

    @Test func anEmptyPathSaysSo() {
        #expect(
            throws: ConfigurationError(
                code: .unreadableFile,
                problems: [ConfigProblem(path: "--config", message: "names no file (an empty path)")]
            )
        ) {
            try ConfigurationLoader(environment: [:]).load(contentsOf: "")
        }
    }

    @Test func syntaxErrorIsReportedWithLineAndColumn() {
        let json = "{\n  \"goapi\": {\n    \"apiKey\": \"k\",\n  }\n}"
        #expect(ConfigFixture.problems(json: json) == ["test.json:3:18: invalid JSON: trailing comma before '}'"])
    }

    @Test func documentMustBeAnObject() {
        #expect(ConfigFixture.problems(json: "[]") == ["(root): expected an object, found an array"])
    }
}
