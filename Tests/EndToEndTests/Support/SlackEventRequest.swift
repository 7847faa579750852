import BridgeTesting
import Crypto
import Foundation

/// A Slack Events API request as Slack sends it: an `event_callback` envelope around one event, for an app whose
/// bot user is ``botUserID``. The body is fixed when it is made, so sending it again is Slack's retry of the same
/// delivery; each send is signed (`v0`) at the time it is sent, as Slack signs each attempt.
struct SlackEventRequest: Sendable {
    /// The bot user of the app the events are for.
    static let botUserID = "UE2EBOT01"
    /// The channel the mentions are in.
    static let channel = "C0E2ELOBBY"
    /// The user who mentions the bot.
    static let user = "U0E2EALICE"

    /// The endpoint path.
    var path: String
    /// The envelope's `event_id`.
    var eventID: String
    /// The raw JSON body.
    var body: Data

    /// Wraps `event` (whose values are strings, as a message event's are) in an envelope with `eventID`.
    init(path: String = "/hooks/slack", eventID: String, event: [String: String]) throws {
        self.path = path
        self.eventID = eventID
        let envelope: [String: Any] = [
            "token": "legacy-verification-token-unused", "team_id": "T0E2E", "api_app_id": "A0E2E",
            "type": "event_callback", "event_id": eventID, "event_time": 1_700_000_000, "event": event,
            "authorizations": [["team_id": "T0E2E", "user_id": Self.botUserID, "is_bot": true]],
        ]
        self.body = try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys])
    }

    /// An `app_mention` of the bot asking `question` in ``channel``: a message of its own (`ts`), in the thread
    /// `threadTS` when given.
    static func mention(_ question: String, ts: String, threadTS: String? = nil) -> [String: String] {
        var event = [
            "type": "app_mention", "user": Self.user, "text": "<@\(Self.botUserID)> \(question)", "ts": ts,
            "channel": Self.channel, "event_ts": ts,
        ]
        event["thread_ts"] = threadTS
        return event
    }

    /// Signs the body now with `signingSecret` and POSTs it to the bridge on `port`; `retryNumber` adds Slack's
    /// retry headers.
    func send(
        to port: Int,
        retryNumber: Int? = nil,
        signingSecret: String = WebhookSecrets.slackSigningSecret,
        timeout: Duration = .seconds(30)
    ) async throws -> TestHTTPClient.Response {
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("v0:\(timestamp):".utf8) + self.body,
            using: SymmetricKey(data: Data(signingSecret.utf8))
        )
        var headers = [
            ("content-type", "application/json"),
            ("x-slack-request-timestamp", timestamp),
            ("x-slack-signature", "v0=" + mac.map { String(format: "%02x", $0) }.joined()),
        ]
        if let retryNumber {
            headers += [("x-slack-retry-num", String(retryNumber)), ("x-slack-retry-reason", "http_timeout")]
        }
        return try await TestHTTPClient.send(
            port: port,
            path: self.path,
            headers: headers,
            body: self.body,
            timeout: timeout
        )
    }
}
