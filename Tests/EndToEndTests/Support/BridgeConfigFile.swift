import Foundation

/// The JSON configuration an end-to-end test runs the binary with: one IRC network over TLS to the test
/// InspIRCd, GoAPI at the stub, SQLite in the test's directory, and fast flood settings so tests are quick;
/// webhook endpoints too when a test needs both.
///
/// Secrets are written `env:NAME` as an operator would; ``BridgeProcess`` puts their values in the child's
/// environment.
struct BridgeConfigFile: BridgeConfigDocument {
    /// The environment variable holding the GoAPI key.
    static let apiKeyVariable = "GOAPI_API_KEY"
    /// The environment variable holding the SASL password.
    static let saslPasswordVariable = "IRC_SASL_PASSWORD"

    /// `goapi.baseURL`: the stub's address.
    var goapiBaseURL: String
    /// `storage.sqlitePath`.
    var sqlitePath: String
    /// `irc.networks[0].host`.
    var host: String
    /// `irc.networks[0].port`: the server's TLS port.
    var port: Int
    /// `irc.networks[0].caFile`: the harness CA, so certificates are verified, not skipped.
    var caFile: String
    /// `irc.networks[0].nick`.
    var nick = "gptbot"
    /// `irc.networks[0].channels[].name`.
    var channels: [String]
    /// `irc.networks[0].sasl.username` for SASL PLAIN (the password comes from ``saslPasswordVariable``);
    /// `nil` leaves SASL out.
    var saslAccount: String?
    /// `irc.networks[0].admins`.
    var admins: [String] = []
    /// `irc.networks[0].quitMessage`.
    var quitMessage = "goapi-bridge end-to-end test run is over"
    /// `logging.level`.
    var logLevel = "debug"
    /// `webhooks.endpoints`; none leaves the `webhooks` section out.
    var webhookEndpoints: [WebhookEndpointConfiguration] = []
    /// Each endpoint's `rateLimit.requests` per minute; by default more than any test sends.
    var webhookRequestsPerMinute = 1000
    /// `shutdown.gracePeriodSeconds`; `nil` leaves the section out (the default applies).
    var shutdownGracePeriodSeconds: Double?
    /// `irc.networks[0].flood`: fast by default, so tests are quick.
    var flood = (burst: 20, intervalSeconds: 0.05)

    /// The file's content.
    func json() throws -> Data {
        var network: [String: Any] = [
            "name": "testnet",
            "host": self.host,
            "port": self.port,
            "tls": true,
            "caFile": self.caFile,
            "nick": self.nick,
            "flood": ["burst": self.flood.burst, "intervalSeconds": self.flood.intervalSeconds],
            // Several tests ask more questions than the default five a minute.
            "userRateLimit": ["questions": 1000, "perSeconds": 60],
            "admins": self.admins,
            "quitMessage": self.quitMessage,
            "channels": self.channels.map { ["name": $0] },
        ]
        if let saslAccount {
            network["sasl"] = [
                "mechanism": "PLAIN",
                "username": saslAccount,
                "password": "env:\(Self.saslPasswordVariable)",
            ]
        }
        var root: [String: Any] = [
            "goapi": [
                "baseURL": self.goapiBaseURL,
                "apiKey": "env:\(Self.apiKeyVariable)",
                "retry": ["maxAttempts": 1],
            ],
            "storage": ["sqlitePath": self.sqlitePath],
            // Port 0: bridges of tests running in parallel must not compete for the default admin port.
            "admin": ["listen": "127.0.0.1:0"],
            "irc": ["networks": [network]],
            "logging": ["level": self.logLevel, "format": "logfmt"],
        ]
        if !self.webhookEndpoints.isEmpty {
            root["webhooks"] = WebhookEndpointConfiguration.section(
                self.webhookEndpoints,
                requestsPerMinute: self.webhookRequestsPerMinute
            )
        }
        if let shutdownGracePeriodSeconds {
            root["shutdown"] = ["gracePeriodSeconds": shutdownGracePeriodSeconds]
        }
        return try JSONSerialization.data(
            withJSONObject: root,
            options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        )
    }
}
