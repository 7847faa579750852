import Foundation
import Synchronization

/// Stand-ins for the Slack Web API and the Mattermost REST API, as default answers for a ``StubWebhookReceiver``.
/// They answer in the documented formats, including the documented failures for a wrong token, so a bridge that
/// sends the wrong credentials or path fails its tests the way it would fail in production.
package enum StubChatAPIs {
    /// Slack's `chat.postMessage`: 200 `{"ok": true, "channel", "ts", "message"}` with the right bearer token, 200
    /// `{"ok": false, "error": "invalid_auth"}` (or `not_authed` without one) otherwise, `unknown_method` for other
    /// paths. Each message gets a new `ts`.
    package static func slack(
        botToken: String
    ) -> @Sendable (StubWebhookReceiver.RecordedRequest) -> StubWebhookReceiver.Answer {
        let counter = Mutex(0)
        return { request in
            guard request.method == "POST", request.path == "/chat.postMessage" else {
                return .init(status: 404, body: #"{"ok":false,"error":"unknown_method"}"#)
            }
            guard let authorization = request.headers["authorization"] else {
                return .init(status: 200, body: #"{"ok":false,"error":"not_authed"}"#)
            }
            guard authorization == "Bearer \(botToken)" else {
                return .init(status: 200, body: #"{"ok":false,"error":"invalid_auth"}"#)
            }
            guard let json = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
                let channel = json["channel"] as? String, let text = json["text"] as? String
            else { return .init(status: 200, body: #"{"ok":false,"error":"invalid_arguments"}"#) }
            let n = counter.withLock {
                $0 += 1
                return $0
            }
            let ts = "1700000\(String(format: "%03d", n)).000100"
            let message: [String: Any] = ["type": "message", "text": text, "ts": ts, "bot_id": "B0STUB"]
            let body: [String: Any] = ["ok": true, "channel": channel, "ts": ts, "message": message]
            let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
            return .init(status: 200, body: String(decoding: data, as: UTF8.self))
        }
    }

    /// The user id of the stub Mattermost's bot account, which ``mattermost(botToken:roots:)`` posts as.
    package static let mattermostBotUserID = "stubbotuser"

    /// Mattermost's `POST /api/v4/posts` (201 with the created post), `GET /api/v4/posts/{id}` (200 with the
    /// post's `root_id` from `roots`, or 404) and `GET /api/v4/users/me` (the bot account), with 401 for a wrong
    /// bearer token. Created posts get ids `stubpost1`, `stubpost2`, … and the user id ``mattermostBotUserID``.
    package static func mattermost(
        botToken: String,
        roots: [String: String] = [:],
        unreadable: Set<String> = []
    ) -> @Sendable (StubWebhookReceiver.RecordedRequest) -> StubWebhookReceiver.Answer {
        let counter = Mutex(0)
        return { request in
            guard request.headers["authorization"] == "Bearer \(botToken)" else {
                return .init(
                    status: 401,
                    body:
                        #"{"id":"api.context.session_expired.app_error","message":"Invalid or expired session, please login again.","status_code":401}"#
                )
            }
            let prefix = "/api/v4/posts"
            if request.method == "POST", request.path == prefix {
                guard let json = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
                    let channel = json["channel_id"] as? String, let message = json["message"] as? String
                else {
                    return .init(
                        status: 400,
                        body:
                            #"{"id":"api.context.invalid_body_param.app_error","message":"Invalid or missing post in request body.","status_code":400}"#
                    )
                }
                let n = counter.withLock {
                    $0 += 1
                    return $0
                }
                let post: [String: Any] = [
                    "id": "stubpost\(n)", "channel_id": channel, "root_id": json["root_id"] as? String ?? "",
                    "message": message, "create_at": 1_700_000_000_000 + n, "user_id": Self.mattermostBotUserID,
                ]
                let data = (try? JSONSerialization.data(withJSONObject: post, options: [.sortedKeys])) ?? Data()
                return .init(status: 201, body: String(decoding: data, as: UTF8.self))
            }
            if request.method == "GET", request.path == "/api/v4/users/me" {
                return .init(
                    status: 200,
                    body: #"{"id":"\#(Self.mattermostBotUserID)","username":"gptbot","is_bot":true}"#
                )
            }
            if request.method == "GET", request.path.hasPrefix(prefix + "/") {
                let id = String(request.path.dropFirst(prefix.count + 1))
                guard !unreadable.contains(id) else {
                    return .init(
                        status: 403,
                        body:
                            #"{"id":"api.context.permissions.app_error","message":"You do not have the appropriate permissions.","status_code":403}"#
                    )
                }
                guard let root = roots[id] else {
                    return .init(
                        status: 404,
                        body: #"{"id":"app.post.get.app_error","message":"Unable to get the post.","status_code":404}"#
                    )
                }
                return .init(status: 200, body: #"{"id":"\#(id)","root_id":"\#(root)","message":"question"}"#)
            }
            return .init(
                status: 404,
                body:
                    #"{"id":"api.context.404.app_error","message":"Sorry, we could not find the page.","status_code":404}"#
            )
        }
    }
}
