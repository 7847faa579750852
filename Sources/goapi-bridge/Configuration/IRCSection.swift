extension BridgeConfiguration {
    /// The `irc` section.
    struct IRCSection: Equatable, Sendable {
        /// The networks to connect to; never empty, names unique.
        var networks: [Network]
    }
}

extension BridgeConfiguration.IRCSection {
    /// One IRC network connection and the channels it serves.
    struct Network: Equatable, Sendable {
        /// Identifies the network in logs, metrics and stored conversations.
        var name: String
        /// The server to connect to.
        var host: String
        /// The server port; 6697 with TLS, 6667 without, unless configured.
        var port: Int
        /// Whether to connect over TLS.
        var tls: Bool
        /// Whether to verify the server certificate; only ever off when written out.
        var tlsVerify: Bool
        /// An extra CA certificate (PEM) to trust, for networks with a private CA.
        var caFile: String?
        /// A client certificate for SASL EXTERNAL or CertFP.
        var clientCertificate: ClientCertificate?
        /// The server password sent with `PASS`.
        var password: Secret?
        /// The preferred nick.
        var nick: String
        /// Nicks to try, in order, when the preferred one is taken.
        var altNicks: [String]
        /// The user name sent with `USER`; defaults to the nick.
        var username: String
        /// The real name sent with `USER`.
        var realname: String
        /// SASL authentication; when set and it fails, the bot does not join any channel.
        var sasl: SASL?
        /// Outgoing flood control.
        var flood: Flood
        /// Longer replies are cut, saying so.
        var maxLinesPerReply: Int
        /// The word that addresses the bot in a channel, besides its nick.
        var commandPrefix: String
        /// `nick!user@host` masks allowed to change channel settings without being channel operators.
        var admins: [String]
        /// `nick!user@host` masks whose lines are never answered (other bots, for instance).
        var ignore: [String]
        /// How long a reply waiting for the connection is kept before it is dropped.
        var replyTTL: Duration
        /// Questions queued per conversation behind the one being answered; more get a "busy" notice.
        var queueLimit: Int
        /// Questions one user may ask on this network per period.
        var userRateLimit: BridgeConfiguration.RateLimit
        /// Sent with `QUIT` on shutdown.
        var quitMessage: String
        /// Channels to join; may be empty for a bot that only answers private queries.
        var channels: [Channel]
    }

    /// One channel to join, with optional per-channel GPT and model.
    struct Channel: Equatable, Sendable {
        /// The channel name, including its `#` or `&`.
        var name: String
        /// The channel key for `JOIN`.
        var key: Secret?
        /// The GPT this channel talks to, overriding `goapi.gizmoId`.
        var gizmoId: String?
        /// The model this channel uses, overriding the `goapi` default.
        var model: String?
    }

    /// A PEM certificate and private key presented to the server.
    struct ClientCertificate: Equatable, Sendable {
        /// The certificate file.
        var certificateFile: String
        /// The private key file.
        var keyFile: String
    }

    /// How the bot authenticates with SASL.
    enum SASL: Equatable, Sendable {
        /// Account name and password.
        case plain(username: String, password: Secret)
        /// The TLS client certificate identifies the account.
        case external
    }

    /// A token bucket for outgoing lines, so the server never disconnects the bot for flooding.
    struct Flood: Equatable, Sendable {
        /// Lines that may be sent back to back.
        var burst: Int
        /// After the burst, one line per interval.
        var interval: Duration
    }
}
