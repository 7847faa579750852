import NIOCore

/// How to reach one IRC network and behave on it.
///
/// Built by the executable from the `irc.networks[]` config entry; every limit has a default that suits a
/// well-behaved bot on a public network.
package struct IRCClientConfiguration: Sendable {
    /// TLS settings for the connection; plaintext only when `enabled` is written out as false.
    package struct TLS: Sendable, Hashable {
        /// Use TLS (the default). Plaintext never happens silently.
        package var enabled: Bool = true
        /// Verify the server's certificate (default). Turning it off is logged as a warning.
        package var verify: Bool = true
        /// A PEM file of extra trusted CAs, for private networks.
        package var caFile: String?
        /// A PEM client certificate (for SASL EXTERNAL / CertFP).
        package var clientCertificateFile: String?
        /// The client certificate's private key.
        package var clientKeyFile: String?

        /// Creates TLS settings.
        package init(
            enabled: Bool = true,
            verify: Bool = true,
            caFile: String? = nil,
            clientCertificateFile: String? = nil,
            clientKeyFile: String? = nil
        ) {
            self.enabled = enabled
            self.verify = verify
            self.caFile = caFile
            self.clientCertificateFile = clientCertificateFile
            self.clientKeyFile = clientKeyFile
        }
    }

    /// SASL credentials.
    package enum SASL: Sendable, Hashable {
        /// `AUTHENTICATE PLAIN` with an account name and password.
        case plain(username: String, password: String)
        /// `AUTHENTICATE EXTERNAL`: the TLS client certificate is the credential.
        case external
    }

    /// A channel to join.
    package struct Channel: Sendable, Hashable {
        /// `#name` or `&name`.
        package var name: String
        /// The channel key (`+k`), if it has one.
        package var key: String?

        /// Creates a channel entry.
        package init(name: String, key: String? = nil) {
            self.name = name
            self.key = key
        }
    }

    /// The network's name in config, logs and conversation keys.
    package var name: String
    /// Server host name.
    package var host: String
    /// Server port.
    package var port: Int
    /// TLS settings.
    package var tls: TLS
    /// Server password (`PASS`), if the network needs one.
    package var password: String?
    /// The nick the bot wants.
    package var nick: String
    /// Nicks to try, in order, when ``nick`` is taken; after them `_` is appended.
    package var altNicks: [String]

    /// How many underscores registration appends to ``nick`` before it gives up, once the alt nicks are taken.
    static let maximumNickUnderscores = 5

    /// The length in bytes of the longest nick the bot may register under (``nick`` with every underscore, or the
    /// longest alt nick): lines queued under one nick may be sent after a reconnect under another.
    package var longestNickBytes: Int {
        max(self.nick.utf8.count + Self.maximumNickUnderscores, self.altNicks.map(\.utf8.count).max() ?? 0)
    }
    /// The ident/user name.
    package var username: String
    /// The real name (`USER` last parameter).
    package var realname: String
    /// SASL, if configured; when it fails the bot does not join any channel.
    package var sasl: SASL?
    /// Channels to join after registration.
    package var channels: [Channel]
    /// Silence after which the bot sends its own `PING`.
    package var pingInterval: Duration
    /// How long to wait for any reply to that `PING` before reconnecting.
    package var pingTimeout: Duration
    /// How long registration (CAP, SASL, NICK/USER) may take.
    package var registrationTimeout: Duration
    /// Delay before rejoining a channel the bot was kicked from; each further kick (or forced part) doubles it,
    /// until the bot has stayed in the channel for ``stableMembership``.
    package var rejoinDelay: Duration
    /// Delay before retrying a JOIN the server refused (full, invite-only, banned, bad key); each further refusal
    /// doubles it.
    package var joinRetryDelay: Duration
    /// The longest the doubling of ``rejoinDelay``, ``joinRetryDelay`` and ``regainNickInterval`` reaches.
    package var maxJoinRetryDelay: Duration
    /// How long a JOIN may go unanswered before it is sent again (and counted as a refusal). Generous: a server
    /// with fake lag answers a bot in a hundred channels slowly, and a JOIN sent twice only adds to its backlog.
    package var joinAnswerTimeout: Duration
    /// A stay in a channel this long ends a run of kicks: the next kick waits ``rejoinDelay`` again. Holding the
    /// configured nick this long likewise ends a run of forced renames.
    package var stableMembership: Duration
    /// How often to try to take back the main nick while using a fallback; after a forced rename the first wait,
    /// doubled for each further rename in a row.
    package var regainNickInterval: Duration
    /// The `QUIT` message at shutdown.
    package var quitMessage: String
    /// The reply to CTCP VERSION.
    package var versionReply: String
    /// Senders the bot never answers: the bridge ignores their messages, and the connection sends them no CTCP
    /// reply either, so an ignored bot cannot draw the bridge into a reply loop or probe it.
    package var ignoreMasks: [IRCMask]

    /// Creates a network configuration.
    package init(
        name: String,
        host: String,
        port: Int,
        tls: TLS = TLS(),
        password: String? = nil,
        nick: String,
        altNicks: [String] = [],
        username: String? = nil,
        realname: String = "goapi-bridge",
        sasl: SASL? = nil,
        channels: [Channel] = [],
        pingInterval: Duration = .seconds(120),
        pingTimeout: Duration = .seconds(60),
        registrationTimeout: Duration = .seconds(60),
        rejoinDelay: Duration = .seconds(10),
        joinRetryDelay: Duration = .seconds(60),
        maxJoinRetryDelay: Duration = .seconds(1_800),
        joinAnswerTimeout: Duration = .seconds(300),
        stableMembership: Duration = .seconds(600),
        regainNickInterval: Duration = .seconds(60),
        quitMessage: String = "goapi-bridge shutting down",
        versionReply: String = "goapi-bridge",
        ignoreMasks: [IRCMask] = []
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.tls = tls
        self.password = password
        self.nick = nick
        self.altNicks = altNicks
        self.username = username ?? nick
        self.realname = realname
        self.sasl = sasl
        self.channels = channels
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.registrationTimeout = registrationTimeout
        self.rejoinDelay = rejoinDelay
        self.joinRetryDelay = joinRetryDelay
        self.maxJoinRetryDelay = maxJoinRetryDelay
        self.joinAnswerTimeout = joinAnswerTimeout
        self.stableMembership = stableMembership
        self.regainNickInterval = regainNickInterval
        self.quitMessage = quitMessage
        self.versionReply = versionReply
        self.ignoreMasks = ignoreMasks
    }
}
