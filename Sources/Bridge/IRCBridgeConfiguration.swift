/// How the bridge behaves on one IRC network (from `irc.networks[]`).
package struct IRCBridgeConfiguration: Sendable {
    /// A configured channel's own GPT and model.
    package struct ChannelProfile: Sendable, Hashable {
        /// `gizmoId` from config.
        package var gizmoID: String?
        /// `model` from config.
        package var model: String?

        /// Creates a channel profile.
        package init(gizmoID: String?, model: String?) {
            self.gizmoID = gizmoID
            self.model = model
        }
    }

    /// The network name (conversation keys, logs).
    package var network: String
    /// The command prefix, e.g. `!gpt`.
    package var commandPrefix: String
    /// `nick!user@host` masks allowed to change settings anywhere.
    package var adminMasks: [String]
    /// Masks whose lines the bot never answers (other bots, abusers).
    package var ignoreMasks: [String]
    /// Lines one reply may take.
    package var maxLinesPerReply: Int
    /// How long a finished reply may wait (e.g. through a reconnect) before it is dropped as stale.
    package var replyTTL: Duration
    /// Questions allowed to wait per conversation.
    package var queueLimit: Int
    /// Questions per person per ``userRatePeriod``.
    package var userRateQuestions: Int
    /// The rate-limit period.
    package var userRatePeriod: Duration
    /// Per-channel profiles, keyed by channel name as configured.
    package var channels: [String: ChannelProfile]

    /// Creates a configuration.
    package init(
        network: String,
        commandPrefix: String = "!gpt",
        adminMasks: [String] = [],
        ignoreMasks: [String] = [],
        maxLinesPerReply: Int = 10,
        replyTTL: Duration = .seconds(900),
        queueLimit: Int = 5,
        userRateQuestions: Int = 5,
        userRatePeriod: Duration = .seconds(60),
        channels: [String: ChannelProfile] = [:]
    ) {
        self.network = network
        self.commandPrefix = commandPrefix
        self.adminMasks = adminMasks
        self.ignoreMasks = ignoreMasks
        self.maxLinesPerReply = maxLinesPerReply
        self.replyTTL = replyTTL
        self.queueLimit = queueLimit
        self.userRateQuestions = userRateQuestions
        self.userRatePeriod = userRatePeriod
        self.channels = channels
    }
}
