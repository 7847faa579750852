/// Whether a Slack event is a question for the bridge. Pure, so every rule is tested on its own.
enum SlackEventDecision: Sendable, Hashable {
    /// Ask: a mention of the bot, or a direct message to it.
    case ask(SlackQuestion)
    /// Acknowledge and do nothing, for the reason given (logged at debug level).
    case ignore(String)

    /// Decides for `event`, sent to an app whose bot users are `botUserIDs`.
    init(_ event: SlackEvent, botUserIDs: Set<String>) {
        switch event.type {
        case "app_mention":
            break
        case "message":
            // Channel messages that mention the bot also arrive as app_mention; only DMs are asked here, so a
            // mention is never answered twice.
            guard event.channelType == "im" else {
                self = .ignore("message outside a direct conversation")
                return
            }
        default:
            self = .ignore("event type \(event.type ?? "none")")
            return
        }
        // Edits, deletions, joins and other subtypes are not questions; file shares and thread broadcasts are.
        if let subtype = event.subtype, !Self.askableSubtypes.contains(subtype) {
            self = .ignore("message subtype \(subtype)")
            return
        }
        if event.botID != nil || event.user.map(botUserIDs.contains) == true {
            // The bot's own replies, and other bots', must never start a conversation between bots.
            self = .ignore("message from a bot")
            return
        }
        guard let channel = event.channel, let ts = event.ts, let user = event.user else {
            self = .ignore("event without channel, ts or user")
            return
        }
        let text = SlackText.plain(event.text ?? "", removingMentionsOf: botUserIDs)
        guard !text.isEmpty else {
            self = .ignore("empty question")
            return
        }
        self = .ask(SlackQuestion(channel: channel, ts: ts, threadTS: event.threadTS ?? ts, user: user, text: text))
    }

    private static let askableSubtypes: Set<String> = ["file_share", "thread_broadcast"]
}

/// A question asked on Slack, as queued in the outbox.
struct SlackQuestion: Sendable, Hashable, Codable {
    /// The channel (or DM) id.
    var channel: String
    /// The message's own timestamp: with the channel, it identifies the message across event ids.
    var ts: String
    /// The thread the reply goes to: the message's thread, or the message itself when it starts one.
    var threadTS: String
    /// The asker's user id.
    var user: String
    /// The question, in plain text.
    var text: String

    /// The bridge's thread: one conversation per Slack thread.
    var thread: String { "\(self.channel)/\(self.threadTS)" }
}
