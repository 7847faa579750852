import Testing

@testable import goapi_bridge

@Suite struct SecretTests {
    @Test func neverPrintsItsValue() {
        let secret = Secret("hunter2-secret")
        var dumped = ""
        dump(secret, to: &dumped)
        for printed in ["\(secret)", String(describing: secret), String(reflecting: secret), dumped] {
            #expect(!printed.contains("hunter2"))
            #expect(printed.contains("<redacted>"))
        }
    }

    @Test func exposesTheValueOnlyWhenAskedByName() {
        #expect(Secret("hunter2-secret").exposedValue == "hunter2-secret")
    }

    @Test func printingTheWholeConfigurationLeaksNoSecret() throws {
        let values = [
            "GOAPI_API_KEY": "leak-goapi", "IRC_SASL_PASSWORD": "leak-sasl", "SLACK_SIGNING_SECRET": "leak-signing",
            "SLACK_BOT_TOKEN": "leak-slack-bot", "MATTERMOST_TOKEN": "leak-mm", "MATTERMOST_BOT_TOKEN": "leak-mm-bot",
            "TEAM_WEBHOOK_SECRET": "whsec_bGVhay13ZWJob29rLWtleQ==",
        ]
        let network = ConfigFixture.network.merging([
            "password": "leak-server-password",
            "sasl": ["mechanism": "PLAIN", "username": "gptbot", "password": "env:IRC_SASL_PASSWORD"],
            "channels": [["name": "#secret", "key": "leak-channel-key"]],
        ])
        let document = ConfigFixture.document(
            goapi: ["apiKey": "env:GOAPI_API_KEY", "fallback": ["apiKey": "leak-fallback"]],
            networks: [network],
            endpoints: [
                ConfigFixture.genericEndpoint.setting("secret", to: "env:TEAM_WEBHOOK_SECRET"),
                ConfigFixture.slackEndpoint.merging([
                    "signingSecret": "env:SLACK_SIGNING_SECRET", "botToken": "env:SLACK_BOT_TOKEN",
                ]),
                ConfigFixture.mattermostEndpoint.merging([
                    "token": "env:MATTERMOST_TOKEN", "botToken": "env:MATTERMOST_BOT_TOKEN",
                ]),
            ]
        )
        let configuration = try ConfigFixture.load(document, environment: values)
        var dumped = ""
        dump(configuration, to: &dumped)
        for printed in [
            String(describing: configuration), String(reflecting: configuration), "\(configuration)", dumped,
        ] {
            #expect(!printed.contains("leak"))
            #expect(!printed.contains("whsec_"))
        }
        #expect(configuration.goapi.fallback?.apiKey.exposedValue == "leak-fallback")
    }
}
