import Foundation

/// One entry of `webhooks.endpoints` in a test's configuration. Secrets are written `env:NAME` with the names in
/// ``WebhookSecrets``, whose values every launched bridge gets in its environment.
enum WebhookEndpointConfiguration: Sendable {
    /// A Mattermost endpoint's reply mode.
    enum MattermostReply: Sendable {
        /// `mode: "sync"`: the answer is the webhook response.
        case sync
        /// `mode: "async"`: the answer is posted through the REST API at `serverURL` as the bot.
        case async(serverURL: String)
    }

    /// `kind: "generic"`, answering as `reply` says.
    case generic(path: String = "/hooks/team", reply: WebhookBridgeConfigFile.Reply)
    /// `kind: "slack"`, whose Web API is at `apiBaseURL`.
    case slack(path: String = "/hooks/slack", apiBaseURL: String)
    /// `kind: "mattermost"`.
    case mattermost(path: String = "/hooks/mattermost", reply: MattermostReply)

    /// The endpoint's path.
    var path: String {
        switch self {
        case .generic(let path, _), .slack(let path, _), .mattermost(let path, _): path
        }
    }

    /// The entry as JSON, allowing `requestsPerMinute` (by default more than any test sends).
    func json(requestsPerMinute: Int = 1000) -> [String: Any] {
        var endpoint: [String: Any] = [
            "path": self.path,
            "rateLimit": ["requests": requestsPerMinute, "perSeconds": 60],
        ]
        switch self {
        case .generic(_, .sync):
            endpoint["kind"] = "generic"
            endpoint["mode"] = "sync"
            endpoint["secret"] = "env:\(WebhookSecrets.genericVariable)"
        case .generic(_, .async(let replyURL)):
            endpoint["kind"] = "generic"
            endpoint["mode"] = "async"
            endpoint["secret"] = "env:\(WebhookSecrets.genericVariable)"
            endpoint["replyURL"] = replyURL
        case .slack(_, let apiBaseURL):
            endpoint["kind"] = "slack"
            endpoint["signingSecret"] = "env:\(WebhookSecrets.slackSigningSecretVariable)"
            endpoint["botToken"] = "env:\(WebhookSecrets.slackBotTokenVariable)"
            endpoint["apiBaseURL"] = apiBaseURL
        case .mattermost(_, .sync):
            endpoint["kind"] = "mattermost"
            endpoint["mode"] = "sync"
            endpoint["token"] = "env:\(WebhookSecrets.mattermostTokenVariable)"
        case .mattermost(_, .async(let serverURL)):
            endpoint["kind"] = "mattermost"
            endpoint["mode"] = "async"
            endpoint["token"] = "env:\(WebhookSecrets.mattermostTokenVariable)"
            endpoint["serverURL"] = serverURL
            endpoint["botToken"] = "env:\(WebhookSecrets.mattermostBotTokenVariable)"
        }
        return endpoint
    }

    /// The `webhooks` section for `endpoints`: port 0 (the binary logs the port it bound) and short outbox
    /// backoffs, so a retry does not keep a test waiting.
    static func section(
        _ endpoints: [WebhookEndpointConfiguration],
        requestsPerMinute: Int = 1000,
        initialBackoffSeconds: Double = 1,
        maxBackoffSeconds: Double = 4
    ) -> [String: Any] {
        [
            "listen": "127.0.0.1:0",
            "endpoints": endpoints.map { $0.json(requestsPerMinute: requestsPerMinute) },
            "outbox": [
                "initialBackoffSeconds": initialBackoffSeconds,
                "maxBackoffSeconds": maxBackoffSeconds,
            ],
        ]
    }
}

/// The webhook secrets of every end-to-end bridge, by environment variable. Each value is distinctive, so a leak
/// into a log is found by a plain search.
enum WebhookSecrets {
    /// The generic endpoints' Standard Webhooks secret.
    static let genericVariable = "TEAM_WEBHOOK_SECRET"
    /// The Slack endpoints' signing secret.
    static let slackSigningSecretVariable = "SLACK_SIGNING_SECRET"
    /// The Slack endpoints' bot token.
    static let slackBotTokenVariable = "SLACK_BOT_TOKEN"
    /// The Mattermost endpoints' outgoing-webhook token.
    static let mattermostTokenVariable = "MATTERMOST_TOKEN"
    /// The Mattermost endpoints' bot token.
    static let mattermostBotTokenVariable = "MATTERMOST_BOT_TOKEN"

    /// The raw key inside ``generic`` (readable text, so it is searchable in a log as it is).
    static let genericKey = "goapi-bridge e2e webhook secret Q7vX2mPz"
    /// `whsec_` + base64 of ``genericKey``.
    static let generic = "whsec_" + Data(genericKey.utf8).base64EncodedString()
    /// A Slack app's signing secret (Slack's are 32 hex digits).
    static let slackSigningSecret = "e2e5ac4b9d17f3a86c0be2d451f9a7c3"
    /// A Slack bot token.
    static let slackBotToken = "xoxb-e2e-4417-Nq8Tz1Wm6RvKp3"
    /// A Mattermost outgoing-webhook token (letters and digits only, as Mattermost makes them, so it travels
    /// unchanged in a form-encoded body).
    static let mattermostToken = "e2emmhook7c5kx1jq9bz3wd8fu"
    /// A Mattermost bot account's access token.
    static let mattermostBotToken = "e2emmbot2r6yh4pn0vt5gs9lce"

    /// Every secret by its variable, for a bridge's environment.
    static let environment: [String: String] = [
        genericVariable: generic,
        slackSigningSecretVariable: slackSigningSecret,
        slackBotTokenVariable: slackBotToken,
        mattermostTokenVariable: mattermostToken,
        mattermostBotTokenVariable: mattermostBotToken,
    ]

    /// The texts that must never appear in a log: each secret, and for the generic one its base64 part, its raw
    /// key and the raw key in hex.
    static let forbiddenInLogs: [String] = [
        generic,
        String(generic.dropFirst("whsec_".count)),
        genericKey,
        Data(genericKey.utf8).map { String(format: "%02x", $0) }.joined(),
        slackSigningSecret,
        slackBotToken,
        mattermostToken,
        mattermostBotToken,
    ]
}
