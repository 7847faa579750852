import Foundation

/// The JSON configuration a webhook end-to-end test runs the binary with: no IRC, GoAPI at the stub, SQLite in the
/// test's directory, and one `generic` endpoint on a port the system picks (`webhooks.listen` port 0; the binary
/// logs the bound port, see ``BridgeProcess/webhookPort(timeout:)``).
///
/// Secrets are written `env:NAME` as an operator would; ``WebhookTestbed`` puts their values in the child's
/// environment.
struct WebhookBridgeConfigFile: BridgeConfigDocument {
    /// The environment variable holding the endpoint's `whsec_` signing secret.
    static let secretVariable = "TEAM_WEBHOOK_SECRET"

    /// How the endpoint answers.
    enum Reply: Sendable {
        /// `mode: "sync"`: in the HTTP response.
        case sync
        /// `mode: "async"`: 202 at once, the answer POSTed to `replyURL`.
        case async(replyURL: String)
    }

    /// `goapi.baseURL`: the stub's address.
    var goapiBaseURL: String
    /// `storage.sqlitePath`.
    var sqlitePath: String
    /// `webhooks.endpoints[0].path`.
    var path = "/hooks/team"
    /// `webhooks.endpoints[0].mode` (and `replyURL`).
    var reply: Reply
    /// `webhooks.outbox.initialBackoffSeconds`: short, so a retry after a restart does not keep tests waiting.
    var initialBackoffSeconds = 1.0
    /// `webhooks.outbox.maxBackoffSeconds`.
    var maxBackoffSeconds = 4.0
    /// `logging.level`.
    var logLevel = "debug"

    /// The file's content.
    func json() throws -> Data {
        var endpoint: [String: Any] = [
            "path": self.path,
            "kind": "generic",
            "secret": "env:\(Self.secretVariable)",
        ]
        switch self.reply {
        case .sync:
            endpoint["mode"] = "sync"
        case .async(let replyURL):
            endpoint["mode"] = "async"
            endpoint["replyURL"] = replyURL
        }
        let root: [String: Any] = [
            "goapi": [
                "baseURL": self.goapiBaseURL,
                "apiKey": "env:\(BridgeConfigFile.apiKeyVariable)",
                "retry": ["maxAttempts": 1],
            ],
            "storage": ["sqlitePath": self.sqlitePath],
            // Port 0: bridges of tests running in parallel must not compete for the default admin port.
            "admin": ["listen": "127.0.0.1:0"],
            "webhooks": [
                "listen": "127.0.0.1:0",
                "endpoints": [endpoint],
                "outbox": [
                    "initialBackoffSeconds": self.initialBackoffSeconds,
                    "maxBackoffSeconds": self.maxBackoffSeconds,
                ],
            ],
            "logging": ["level": self.logLevel, "format": "logfmt"],
        ]
        return try JSONSerialization.data(
            withJSONObject: root,
            options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        )
    }
}
