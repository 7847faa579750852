import Foundation
import HTTPTypes

/// A Slack Events API request body, reduced to what the bridge acts on. Parsing is separate from deciding (see
/// ``SlackEventDecision``) so both are pure and tested on Slack's documented payloads.
enum SlackEnvelope: Sendable, Hashable {
    /// The `url_verification` handshake when the Request URL is saved: answer with the challenge.
    case urlVerification(challenge: String)
    /// An `event_callback` with its `event_id`, the app's bot user ids and the inner event.
    case event(id: String, botUserIDs: Set<String>, event: SlackEvent)
    /// Another envelope type (e.g. `app_rate_limited`): acknowledged and otherwise ignored.
    case other(type: String)

    /// Parses a body, or throws a 400 naming the problem.
    init(parsing body: some DataProtocol) throws(WebhookHTTPError) {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)), let object = json as? [String: Any] else {
            throw Self.invalid("the body is not a JSON object")
        }
        guard let type = object["type"] as? String else { throw Self.invalid("field \"type\" is missing") }
        switch type {
        case "url_verification":
            guard let challenge = object["challenge"] as? String else {
                throw Self.invalid("field \"challenge\" is missing")
            }
            self = .urlVerification(challenge: challenge)
        case "event_callback":
            guard let id = object["event_id"] as? String, !id.isEmpty else {
                throw Self.invalid("field \"event_id\" is missing")
            }
            guard let event = object["event"] as? [String: Any] else {
                throw Self.invalid("field \"event\" is missing")
            }
            // `authorizations` is the current field, and only its bot entries are the bot: an app installed with a
            // user token is authorized for people too, whose messages must still be answered. `authed_users`, the
            // older field some installs send instead, has no such flag and is read only when `authorizations` is
            // absent (Slack may list a person in both).
            let botUserIDs: Set<String>
            if let authorizations = object["authorizations"] as? [[String: Any]] {
                botUserIDs = Set(
                    authorizations.filter { ($0["is_bot"] as? Bool) == true }.compactMap { $0["user_id"] as? String }
                )
            } else {
                botUserIDs = Set((object["authed_users"] as? [String]) ?? [])
            }
            self = .event(id: id, botUserIDs: botUserIDs, event: SlackEvent(event))
        default:
            self = .other(type: type)
        }
    }

    private static func invalid(_ message: String) -> WebhookHTTPError {
        WebhookHTTPError(.badRequest, code: "invalid_body", message)
    }
}

/// The fields of a Slack event the bridge reads; absent ones are nil.
struct SlackEvent: Sendable, Hashable {
    /// `app_mention`, `message`, …
    var type: String?
    /// `bot_message`, `message_changed`, …; nil for a plain message.
    var subtype: String?
    /// `im` for a direct message.
    var channelType: String?
    /// The channel (or DM) id.
    var channel: String?
    /// The author's user id.
    var user: String?
    /// Set when a bot (app) posted the message.
    var botID: String?
    /// The message text, in Slack's markup.
    var text: String?
    /// The message's timestamp, its id within the channel.
    var ts: String?
    /// The thread's root timestamp, when the message is a reply in a thread.
    var threadTS: String?

    /// Creates an event from fields; used by tests.
    init(
        type: String? = nil,
        subtype: String? = nil,
        channelType: String? = nil,
        channel: String? = nil,
        user: String? = nil,
        botID: String? = nil,
        text: String? = nil,
        ts: String? = nil,
        threadTS: String? = nil
    ) {
        self.type = type
        self.subtype = subtype
        self.channelType = channelType
        self.channel = channel
        self.user = user
        self.botID = botID
        self.text = text
        self.ts = ts
        self.threadTS = threadTS
    }

    /// Reads the fields from a decoded `event` object.
    init(_ object: [String: Any]) {
        self.init(
            type: object["type"] as? String,
            subtype: object["subtype"] as? String,
            channelType: object["channel_type"] as? String,
            channel: object["channel"] as? String,
            user: object["user"] as? String,
            botID: object["bot_id"] as? String,
            text: object["text"] as? String,
            ts: object["ts"] as? String,
            threadTS: object["thread_ts"] as? String
        )
    }
}
