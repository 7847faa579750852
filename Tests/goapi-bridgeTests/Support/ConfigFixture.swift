import Foundation

@testable import goapi_bridge

/// Small valid building blocks and load helpers shared by the configuration tests.
enum ConfigFixture {
    /// A `goapi` section with only the required key.
    static let goapi: JSONValue = ["apiKey": "test-api-key"]

    /// An IRC network with only the required keys.
    static let network: JSONValue = ["name": "libera", "host": "irc.example.org", "nick": "gptbot"]

    /// A generic async webhook endpoint with every required key.
    static let genericEndpoint: JSONValue = [
        "path": "/hooks/team", "kind": "generic", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "replyURL": "https://tools.example.com/replies",
    ]

    /// A Slack endpoint with every required key.
    static let slackEndpoint: JSONValue = [
        "path": "/hooks/slack", "kind": "slack", "signingSecret": "slack-signing", "botToken": "xoxb-token",
    ]

    /// A Mattermost async endpoint with every required key.
    static let mattermostEndpoint: JSONValue = [
        "path": "/hooks/mm", "kind": "mattermost", "token": "mm-token", "serverURL": "https://chat.example.com",
        "botToken": "mm-bot",
    ]

    /// The hint printed after an invalid nick, with its leading space.
    static let nickHint = #" (start with a letter or one of []\`_^{|}, then letters, digits, - or those symbols)"#

    /// The hint printed after an invalid GPT id, with its leading space.
    static let gizmoHint =
        " (GPT ids are g- followed by letters and digits; from chatgpt.com/g/g-abc123-my-gpt use g-abc123)"

    /// The hint printed after an invalid URL, with its leading space.
    static let urlHint = " (e.g. https://example.com/path)"

    /// A document with the given sections; `irc` holds `networks`, `webhooks` holds `endpoints` after `listen`.
    static func document(
        goapi: JSONValue = goapi,
        networks: [JSONValue]? = [network],
        endpoints: [JSONValue]? = nil,
        extra: [String: JSONValue] = [:]
    ) -> JSONValue {
        var document: JSONValue = ["goapi": goapi]
        if let networks {
            document = document.setting("irc", to: ["networks": .array(networks)])
        }
        if let endpoints {
            document = document.setting("webhooks", to: ["listen": "127.0.0.1:8080", "endpoints": .array(endpoints)])
        }
        return document.merging(extra)
    }

    /// Loads `document` through the real parser and reader.
    static func load(_ document: JSONValue, environment: [String: String] = [:]) throws -> BridgeConfiguration {
        try ConfigurationLoader(environment: environment).load(json: Array(document.jsonText.utf8), source: "test.json")
    }

    /// The lines `check-config` would print for `document`; empty when it loads.
    static func problems(_ document: JSONValue, environment: [String: String] = [:]) -> [String] {
        problems(json: document.jsonText, environment: environment)
    }

    /// The lines `check-config` would print for raw JSON text; empty when it loads.
    static func problems(json: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try ConfigurationLoader(environment: environment).load(json: Array(json.utf8), source: "test.json")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    /// The problems for a document whose only network is `network` patched with `patch`.
    static func networkProblems(_ patch: [String: JSONValue]) -> [String] {
        problems(document(networks: [network.merging(patch)]))
    }

    /// The problems for a webhook-only document with the single endpoint `endpoint`.
    static func endpointProblems(_ endpoint: JSONValue) -> [String] {
        problems(document(networks: nil, endpoints: [endpoint]))
    }

    /// A file that exists for the duration of a test, for `caFile` and client certificate settings.
    static func temporaryFile(named name: String = UUID().uuidString) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("goapi-bridge-tests-\(name)").path
        try Data("-----BEGIN CERTIFICATE-----\n".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
