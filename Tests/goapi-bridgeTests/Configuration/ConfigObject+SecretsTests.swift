import Testing

@testable import goapi_bridge

@Suite struct ConfigObjectSecretsTests {
    private func load(apiKey: JSONValue, environment: [String: String]) throws -> BridgeConfiguration {
        try ConfigFixture.load(ConfigFixture.document(goapi: ["apiKey": apiKey]), environment: environment)
    }

    private func problems(apiKey: JSONValue, environment: [String: String] = [:]) -> [String] {
        ConfigFixture.problems(ConfigFixture.document(goapi: ["apiKey": apiKey]), environment: environment)
    }

    @Test func readsEnvironmentReferencesFromTheGivenEnvironment() throws {
        let configuration = try load(apiKey: "env:GOAPI_API_KEY", environment: ["GOAPI_API_KEY": "from-env"])
        #expect(configuration.goapi.apiKey.exposedValue == "from-env")
    }

    @Test func takesLiteralValuesAsWritten() throws {
        #expect(try load(apiKey: "literal-key", environment: [:]).goapi.apiKey.exposedValue == "literal-key")
    }

    @Test func missingVariableIsNamed() {
        #expect(
            problems(apiKey: "env:GOAPI_API_KEY") == ["goapi.apiKey: environment variable GOAPI_API_KEY is not set"]
        )
    }

    @Test func emptyVariableIsNamed() {
        #expect(
            problems(apiKey: "env:GOAPI_API_KEY", environment: ["GOAPI_API_KEY": ""])
                == ["goapi.apiKey: environment variable GOAPI_API_KEY is empty"]
        )
    }

    /// What follows `env:` is not shown: it may be the secret itself, pasted in the wrong place.
    @Test(arguments: ["env:1ABC", "env:MY-KEY", "env:sk-SEKRET/abc123"])
    func invalidVariableNameIsReportedWithoutTheText(written: String) {
        #expect(
            problems(apiKey: .string(written))
                == [
                    "goapi.apiKey: the text after env: is not an environment variable name (not shown, in case it is "
                        + "the secret) (write env: followed by a name such as GOAPI_API_KEY)"
                ]
        )
    }

    /// `file:` is not read (DESIGN.md has `env:` only); taken literally, the path would be sent as the key.
    @Test(arguments: ["file:/run/secrets/goapi", "FILE:goapi.key"])
    func aFileReferenceIsRefused(written: String) {
        let problems = problems(apiKey: .string(written))
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("goapi.apiKey: secrets are read from environment variables") == true)
        #expect(problems.first?.contains(written) == false)
    }

    @Test func anEmptyVariableNameIsReported() {
        #expect(
            problems(apiKey: "env:")
                == [
                    #"goapi.apiKey: "env:" names no environment variable (write env: followed by a name such as GOAPI_API_KEY)"#
                ]
        )
    }

    @Test func emptyLiteralIsReported() {
        #expect(problems(apiKey: "") == ["goapi.apiKey: must not be empty"])
    }

    @Test func aLineBreakFromAnEnvFileIsReportedWithoutTheValue() {
        let lines = problems(apiKey: "env:GOAPI_API_KEY", environment: ["GOAPI_API_KEY": "sk-live-1234\r\n"])
        #expect(
            lines == [
                "goapi.apiKey: environment variable GOAPI_API_KEY: must not contain control characters (a line break "
                    + "at the end usually comes from an env file saved with CRLF or a secret file with a final newline)"
            ]
        )
        #expect(lines.allSatisfy { !$0.contains("sk-live-1234") })
    }

    @Test(arguments: ["key\u{0}", "ke\ty", "key\n"])
    func controlCharactersInALiteralAreReported(written: String) {
        #expect(problems(apiKey: .string(written)).first?.hasPrefix("goapi.apiKey: must not contain control") == true)
    }

    @Test(arguments: [" key", "key "])
    func spacesAtEitherEndAreReported(written: String) {
        #expect(problems(apiKey: .string(written)) == ["goapi.apiKey: must not begin or end with a space"])
    }

    @Test func everyCredentialIsChecked() {
        let network = ConfigFixture.network.setting("password", to: "env:IRC_PASSWORD")
        let lines = ConfigFixture.problems(
            ConfigFixture.document(networks: [network]),
            environment: ["IRC_PASSWORD": "hunter2\n"]
        )
        #expect(lines.count == 1)
        #expect(lines.first?.contains("environment variable IRC_PASSWORD: must not contain control characters") == true)
    }

    @Test func aPasswordMayBeginOrEndWithASpace() throws {
        let network = ConfigFixture.network.setting("password", to: "env:IRC_PASSWORD")
        let configuration = try ConfigFixture.load(
            ConfigFixture.document(networks: [network]),
            environment: ["IRC_PASSWORD": " spaced out "]
        )
        #expect(configuration.irc?.networks.first?.password?.exposedValue == " spaced out ")
    }

    @Test func formatProblemsNameTheVariableButNotTheValue() {
        let endpoint = ConfigFixture.genericEndpoint.setting("secret", to: "env:TEAM_WEBHOOK_SECRET")
        let lines = ConfigFixture.problems(
            ConfigFixture.document(networks: nil, endpoints: [endpoint]),
            environment: ["TEAM_WEBHOOK_SECRET": "not-a-whsec-value"]
        )
        #expect(lines.count == 1)
        #expect(
            lines.first?.hasPrefix(
                "webhooks.endpoints[0].secret: environment variable TEAM_WEBHOOK_SECRET: must be whsec_"
            ) == true
        )
        #expect(lines.first?.contains("not-a-whsec-value") == false)
    }

    /// Taken literally, these would fail only at the first request, as a refused key far from its cause.
    @Test(arguments: ["$GOAPI_API_KEY", "${GOAPI_API_KEY}", "ENV:GOAPI_API_KEY", "Env:GOAPI_API_KEY"])
    func aShellStyleOrMiscasedReferenceIsRefused(written: String) {
        #expect(
            ConfigFixture.problems(ConfigFixture.document(goapi: ["apiKey": .string(written)])) == [
                "goapi.apiKey: \(written.quoted) looks like a reference to an environment variable, but is taken "
                    + "literally (write env:GOAPI_API_KEY to read the variable)"
            ]
        )
    }

    @Test(arguments: ["$ecret-password", "$1abc", "a$B"])
    func aPasswordStartingWithADollarIsTakenAsWritten(written: String) throws {
        let configuration = try ConfigFixture.load(ConfigFixture.document(goapi: ["apiKey": .string(written)]))
        #expect(configuration.goapi.apiKey.exposedValue == written)
    }

    @Test func aWhsecSecretWithALineBreakSaysSoRatherThanNotBase64() {
        let endpoint = ConfigFixture.genericEndpoint.setting("secret", to: "env:TEAM_WEBHOOK_SECRET")
        let lines = ConfigFixture.problems(
            ConfigFixture.document(networks: nil, endpoints: [endpoint]),
            environment: ["TEAM_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\r"]
        )
        #expect(lines.count == 1)
        #expect(
            lines.first?.hasPrefix(
                "webhooks.endpoints[0].secret: environment variable TEAM_WEBHOOK_SECRET: must not contain control "
                    + "characters"
            ) == true
        )
    }

    /// A URL or host is shown in its problem, so the operator can find it, but never its user name and password:
    /// `check-config` runs as the systemd unit's ExecStartPre, so its output lands in the journal.
    @Test(arguments: [
        ["goapi.baseURL", "https://bridge:S3cr3tPassw0rd@api.goapi.ai/v1?region=eu"],
        ["goapi.baseURL", "https//bridge:S3cr3tPassw0rd@api.goapi.ai"],
        ["replyURL", "https://bridge:S3cr3tPassw0rd@tools.example.com/replies "],
        ["serverURL", "https://bot:S3cr3tPassw0rd@chat.example.com/#town-square"],
        ["irc.host", "ircs://gptbot:S3cr3tPassw0rd@irc.example.org"],
    ])
    func urlProblemsLeaveOutCredentials(setting: [String]) {
        let (key, value) = (setting[0], JSONValue.string(setting[1]))
        let problems: [String]
        switch key {
        case "goapi.baseURL":
            problems = ConfigFixture.problems(
                ConfigFixture.document(goapi: ConfigFixture.goapi.merging(["baseURL": value]))
            )
        case "replyURL":
            problems = ConfigFixture.endpointProblems(ConfigFixture.genericEndpoint.merging(["replyURL": value]))
        case "serverURL":
            problems = ConfigFixture.endpointProblems(ConfigFixture.mattermostEndpoint.merging(["serverURL": value]))
        default:
            problems = ConfigFixture.networkProblems(["host": value])
        }
        #expect(problems.count == 1)
        #expect(problems.first?.contains("…@") == true, "the value is still shown")
        #expect(!problems.joined().contains("S3cr3tPassw0rd"))
    }
}
