/// Something that happened on an IRC connection that the bridge or the operator cares about.
package enum IRCClientEvent: Sendable, Hashable {
    /// Registration finished; the bot is `nick` on the network.
    case registered(nick: String)
    /// SASL succeeded as `account`.
    case authenticated(account: String)
    /// SASL failed; the bot will not join channels on this connection.
    case authenticationFailed(reason: String)
    /// The wanted nick was taken; the bot now tries `next`.
    case nickInUse(tried: String, next: String)
    /// The bot's own nick changed (regain, or forced by the server).
    case nickChanged(to: String)
    /// The bot is in `channel`.
    case joined(channel: String)
    /// A JOIN was refused (`code` is the numeric, e.g. 473 invite-only); it will be retried in `retryIn`.
    case joinFailed(channel: String, code: String, reason: String, retryIn: Duration)
    /// The bot was kicked; it will rejoin in `rejoinIn`.
    case kicked(channel: String, by: String, reason: String, rejoinIn: Duration)
    /// A message (PRIVMSG) for the bridge to consider.
    case message(IRCIncomingMessage)
    /// Someone else changed nick (seen where they share a channel with the bot): an answer on its way to them
    /// follows them, and never goes to whoever takes the old nick next.
    case userRenamed(from: String, to: String)
    /// Someone else left the network (seen where they share a channel with the bot).
    case userQuit(nick: String)
    /// The server refused the bot's message to `channel` (`404`: moderated, banned, not in the channel); reported
    /// once per channel until the bot joins it again, however many lines were refused.
    case cannotSend(channel: String, reason: String)
    /// A line the server sent that could not be parsed; skipped.
    case malformedLine(reason: String)
}

/// A PRIVMSG the bot received, with what the bridge needs to route and answer it.
package struct IRCIncomingMessage: Sendable, Hashable {
    /// Sender's nick.
    package var nick: String
    /// Sender's `nick!user@host`, for ignore and admin masks.
    package var source: String
    /// The channel, or the bot's own nick for a private message.
    package var target: String
    /// Where a reply goes: the channel, or the sender's nick for a private message.
    package var replyTarget: String
    /// Whether this is a private query rather than a channel message.
    package var isPrivate: Bool
    /// The message text (CTCP already handled and removed).
    package var text: String
    /// The IRCv3 `msgid` tag, for `+reply` threading.
    package var messageID: String?
    /// Whether the sender is an operator (or higher) in the channel, as far as the bot has seen.
    package var senderIsChannelOperator: Bool

    /// Creates a message.
    package init(
        nick: String,
        source: String,
        target: String,
        replyTarget: String,
        isPrivate: Bool,
        text: String,
        messageID: String? = nil,
        senderIsChannelOperator: Bool = false
    ) {
        self.nick = nick
        self.source = source
        self.target = target
        self.replyTarget = replyTarget
        self.isPrivate = isPrivate
        self.text = text
        self.messageID = messageID
        self.senderIsChannelOperator = senderIsChannelOperator
    }
}

/// Why the state machine wants the connection closed.
package enum IRCDisconnectReason: Sendable, Hashable {
    /// Our PING went unanswered.
    case pingTimeout
    /// Registration did not finish in time.
    case registrationTimeout
    /// SASL was configured and failed: reconnecting later may succeed (services down), joining without it must not.
    case authenticationFailed(String)
    /// No nick could be obtained.
    case noUsableNick
    /// The server refused the bot (`464` wrong server password, `465` banned from the server); `reason` is the
    /// server's text. Only the operator can fix this, so reconnecting waits the longest backoff.
    case refused(code: String, reason: String)
    /// The server sent ERROR.
    case serverError(String)
    /// The application is shutting down.
    case shutdown
}

extension IRCDisconnectReason {
    /// Whether only the operator can fix the cause (a wrong server password, a ban): reconnecting soon cannot help,
    /// and hammering a server that banned the bot can earn a longer ban. A failed SASL login is not counted: it is
    /// as often services restarting, which a quick reconnect rides out.
    package var needsOperator: Bool {
        switch self {
        case .refused: true
        case .authenticationFailed, .pingTimeout, .registrationTimeout, .noUsableNick, .serverError, .shutdown: false
        }
    }
}
