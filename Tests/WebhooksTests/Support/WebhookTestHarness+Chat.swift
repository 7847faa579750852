import BridgeTesting
import Crypto
import Foundation
import Webhooks

extension WebhookTestHarness {
    /// The Slack signing secret and bot token of the test Slack endpoint.
    static let slackSigningSecret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let slackBotToken = "xoxb-test-token"
    /// The Mattermost webhook token and bot token of the test Mattermost endpoints.
    static let mattermostToken = "mm-outgoing-token"
    static let mattermostBotToken = "mm-bot-token"

    /// A Slack endpoint whose Web API is `apiBaseURL`.
    static func slack(_ path: String = "/hooks/slack", apiBaseURL: String) -> WebhookServer.Endpoint {
        .init(
            path: path,
            kind: .slack(
                .init(signingSecret: slackSigningSecret, botToken: slackBotToken, apiBaseURL: apiBaseURL)
            ),
            rateLimit: .init(requests: 100, period: .seconds(60))
        )
    }

    /// A Mattermost endpoint in `mode`.
    static func mattermost(
        _ path: String = "/hooks/mattermost",
        mode: WebhookServer.MattermostMode
    )
        -> WebhookServer.Endpoint
    {
        .init(
            path: path,
            kind: .mattermost(.init(token: mattermostToken, mode: mode)),
            rateLimit: .init(requests: 100, period: .seconds(60))
        )
    }

    /// POSTs a Slack-signed `body` the way Slack does.
    func postSlack(
        _ path: String = "/hooks/slack",
        body: String,
        timestamp: Int? = nil,
        secret: String = WebhookTestHarness.slackSigningSecret,
        contentType: String = "application/json",
        extraHeaders: [(String, String)] = []
    ) async throws -> TestHTTPClient.Response {
        let seconds = String(timestamp ?? Int(self.now().timeIntervalSince1970))
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("v0:\(seconds):\(body)".utf8),
            using: SymmetricKey(data: Data(secret.utf8))
        )
        let signature = "v0=" + mac.map { String(format: "%02x", $0) }.joined()
        let headers =
            [
                ("content-type", contentType), ("x-slack-request-timestamp", seconds),
                ("x-slack-signature", signature),
            ] + extraHeaders
        return try await TestHTTPClient.send(port: self.port, path: path, headers: headers, body: Data(body.utf8))
    }

    /// POSTs a Mattermost outgoing-webhook payload, form-encoded unless `json` is true.
    func postMattermost(
        _ path: String = "/hooks/mattermost",
        fields: [String: String],
        json: Bool = false
    ) async throws -> TestHTTPClient.Response {
        let body: Data
        let contentType: String
        if json {
            body = try JSONSerialization.data(withJSONObject: fields)
            contentType = "application/json"
        } else {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            body = Data(
                fields.sorted { $0.key < $1.key }
                    .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
                    .joined(separator: "&").utf8
            )
            contentType = "application/x-www-form-urlencoded"
        }
        return try await TestHTTPClient.send(
            port: self.port,
            path: path,
            headers: [("content-type", contentType)],
            body: body
        )
    }

    /// A Mattermost outgoing-webhook payload for a post, as Mattermost sends it.
    static func mattermostFields(
        postID: String = "post1",
        text: String = "gpt what is the answer?",
        token: String = mattermostToken,
        extra: [String: String] = [:]
    ) -> [String: String] {
        [
            "token": token, "team_id": "team1", "team_domain": "acme", "channel_id": "chan1",
            "channel_name": "town-square", "timestamp": "1700000000000", "user_id": "user1", "user_name": "alice",
            "post_id": postID, "text": text, "trigger_word": "gpt", "file_ids": "",
        ].merging(extra) { $1 }
    }

    /// A Slack `event_callback` envelope around `event`, for the app whose bot user is `UBOT`.
    static func slackEvent(id: String = "Ev001", _ event: [String: Any]) -> String {
        let envelope: [String: Any] = [
            "token": "legacy-verification-token", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
            "event_id": id, "event_time": 1_700_000_000, "event": event,
            "authorizations": [["team_id": "T1", "user_id": "UBOT", "is_bot": true]],
        ]
        let data = try! JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// An `app_mention` event in channel `C1`.
    static func mention(
        text: String = "<@UBOT> what is the answer?",
        ts: String = "1700000000.000100",
        threadTS: String? = nil,
        user: String = "U1"
    ) -> [String: Any] {
        var event: [String: Any] = [
            "type": "app_mention", "user": user, "text": text, "ts": ts, "channel": "C1",
            "event_ts": ts,
        ]
        if let threadTS { event["thread_ts"] = threadTS }
        return event
    }
}
